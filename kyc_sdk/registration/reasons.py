"""Why a registration ended as it did, in Persian and English, keyed by a stable code.

A registration's ``reasons`` are machine codes (``liveness_attack``,
``national_code_mismatch``, ``mobile_not_owned`` ...); ``explain`` gives each its two
texts for the person's screen and the operator's log. The texts name what to do, never
the person's data. A code we do not know (a vendor's new one) still gets a text: the
generic one for its decision. Spec: the issue "The whole registration" (one decision with
reasons in Persian and English).

>>> explain(["mobile_not_owned"])[0]["en"]
'The mobile number is not registered to this national code. Use a number in your own name.'
"""

from __future__ import annotations

from collections.abc import Iterable

# code -> (Persian, English)
REASONS: dict[str, tuple[str, str]] = {
    # the document
    "document_unreadable": (
        "تصویر مدرک خوانا نیست. دوباره و در نور کافی از آن عکس بگیرید.",
        "The document could not be read. Take its photo again, in good light.",
    ),
    "document_low_confidence": (
        "بخشی از مدرک با اطمینان خوانده نشد. دوباره از آن عکس بگیرید.",
        "Part of the document was not read with confidence. Photograph it again.",
    ),
    "document_expired": (
        "اعتبار مدرک به پایان رسیده است. مدرک معتبر ارسال کنید.",
        "The document has expired. Submit a valid document.",
    ),
    "mrz_invalid": (
        "ناحیه ماشین‌خوان گذرنامه معتبر خوانده نشد. دوباره از صفحه مشخصات عکس بگیرید.",
        "The passport's machine-readable zone did not verify. Photograph the data page again.",
    ),
    "not_iranian_passport": (
        "گذرنامه صادره جمهوری اسلامی ایران لازم است.",
        "An Iranian passport is required.",
    ),
    # the cross-checks
    "national_code_mismatch": (
        "کد ملی روی کارت با کد ملی واردشده یکسان نیست.",
        "The national code on the card differs from the one entered.",
    ),
    "passport_number_mismatch": (
        "شماره گذرنامه با شماره واردشده یکسان نیست.",
        "The passport number differs from the one entered.",
    ),
    "birth_date_mismatch": (
        "تاریخ تولد روی مدرک با تاریخ واردشده یکسان نیست.",
        "The birth date on the document differs from the one entered.",
    ),
    "name_mismatch": (
        "نام روی مدرک با نام واردشده یکسان نیست؛ کارشناس بررسی می‌کند.",
        "The name on the document differs from the one entered; an officer will review it.",
    ),
    # the selfie
    "liveness_attack": (
        "ویدیوی سلفی زنده نیست (عکس یا ویدیوی بازپخش).",
        "The selfie video is not live (a photo or a replayed video).",
    ),
    "liveness_retry": (
        "حرکات خواسته‌شده در ویدیو انجام نشد. دوباره تلاش کنید.",
        "The requested movements were not completed in the video. Try again.",
    ),
    "liveness_expired": (
        "زمان چالش پیش از رسیدن ویدیو تمام شد. چالش تازه‌ای بگیرید و دوباره فیلم بگیرید.",
        "The challenge expired before the video arrived. Ask for a new challenge and record again.",
    ),
    "document_in_frame": (
        "به جای چهره، کارت یا گذرنامه جلوی دوربین است. مدرک را کنار بگذارید و از چهره خودتان فیلم بگیرید.",
        "An ID card or passport was held up instead of a face. Put the document away and film your own face.",
    ),
    "face_not_found": ("چهره در تصویر پیدا نشد. دوباره تلاش کنید.", "No face was found. Try again."),
    "face_photo_small": (
        "چهره در عکس برای مقایسه خیلی کوچک است. عکسی نزدیک‌تر و واضح‌تر بفرستید.",
        "The face in the photo is too small to compare. Send a closer, sharper photo.",
    ),
    "face_photo_print": (
        "عکس چهره از روی یک عکس چاپی یا اسکن‌شده گرفته شده است. عکسی که مستقیم با دوربین گرفته شده بفرستید.",
        "The face photo is of a printed or scanned picture. Send a photo taken directly with a camera.",
    ),
    "face_photo_occluded": (
        "بخشی از چهره پوشیده است. چهره را از ابروها تا چانه باز نگه دارید "
        "(بدون ماسک، عینک آفتابی، دست یا مو جلوی صورت) و دوباره عکس بگیرید.",
        "Part of your face is covered. Keep your face visible from brows to chin "
        "(no mask, sunglasses, hand or hair in front of it) and take it again.",
    ),
    "face_mismatch": (
        "چهره سلفی با عکس مدرک مطابقت ندارد.",
        "The selfie does not match the photo on the document.",
    ),
    "face_match_unsure": (
        "تطبیق چهره سلفی با عکس مدرک قطعی نیست؛ کارشناس بررسی می‌کند.",
        "The selfie could not be matched surely to the photo on the document; an officer will review it.",
    ),
    # the registry and Shahkar (hirkan's codes)
    "registry_no_match": (
        "در ثبت احوال سابقه‌ای با این کد ملی و تاریخ تولد نیست.",
        "The civil registry has no record of this national code and birth date.",
    ),
    "registry_deceased": (
        "ثبت احوال این شخص را فوت‌شده ثبت کرده است.",
        "The civil registry records this person as deceased.",
    ),
    "registry_name_mismatch": (
        "نام واردشده با نام ثبت احوال یکسان نیست؛ کارشناس بررسی می‌کند.",
        "The name entered differs from the civil registry's; an officer will review it.",
    ),
    "mobile_not_owned": (
        "این شماره همراه به نام این کد ملی ثبت نشده است. از شماره‌ای به نام خودتان استفاده کنید.",
        "The mobile number is not registered to this national code. Use a number in your own name.",
    ),
    # an officer's review
    "review_declined": (
        "کارشناس پرونده را بررسی کرد و آن را نپذیرفت. با مدارک درست ثبت‌نام تازه‌ای آغاز کنید.",
        "An officer reviewed the case and declined it. Start a new registration with correct documents.",
    ),
    # the vendors
    "providers_unavailable": (
        "سامانه استعلام در دسترس نیست. کمی بعد دوباره تلاش کنید.",
        "The verification service is unavailable. Try again a little later.",
    ),
}

_GENERIC = {
    "DECLINED": ("احراز هویت پذیرفته نشد.", "The verification was declined."),
    "RETRY": ("لطفاً مدارک را دوباره ارسال کنید.", "Please submit your evidence again."),
    "REVIEW": ("پرونده به بررسی کارشناس ارجاع شد.", "The case was referred to an officer for review."),
    "PENDING": ("نتیجه هنوز آماده نیست.", "The result is not ready yet."),
    "APPROVED": ("احراز هویت انجام شد.", "The verification succeeded."),
}


def text(code: str, decision: str = "DECLINED") -> tuple[str, str]:
    """(Persian, English) for ``code``; the decision's generic texts for an unknown code."""
    return REASONS.get(code) or _GENERIC.get(decision, _GENERIC["DECLINED"])


def explain(codes: Iterable[str], decision: str = "DECLINED") -> list[dict[str, str]]:
    """Each code with its two texts, in order, without repeats."""
    return [{"code": c, "fa": text(c, decision)[0], "en": text(c, decision)[1]} for c in dict.fromkeys(codes)]
