// The capture page's logic: identity -> card or passport -> challenge video -> result, over
// the /v1 API. The case's id and token live in this closure only (no storage, no cookie, no
// URL), so nothing about the person outlives the tab.
"use strict";
(() => {
  // A text whose key has an "_abroad" twin reads the twin on the abroad path (see t()).
  const TEXT = {
    fa: {
      path_q: "با کدام مدرک ثبت‌نام می‌کنید؟", path_resident: "در ایران هستم: کارت ملی",
      path_resident_hint: "کارت ملی هوشمند و شماره همراه ایرانی به نام خودتان",
      path_abroad: "خارج از ایران هستم: گذرنامه", path_abroad_hint: "گذرنامه معتبر ایرانی و شماره همراه هر کشوری",
      step_card_abroad: "گذرنامه", first_name_abroad: "نام به لاتین (مانند گذرنامه)",
      last_name_abroad: "نام خانوادگی به لاتین (مانند گذرنامه)",
      passport_number: "شماره گذرنامه", passport_number_hint: "حرف و رقم‌ها، مانند صفحه مشخصات گذرنامه",
      nationality: "ملیت (کد سه‌حرفی گذرنامه)", nationality_hint: "برای ایران: IRN",
      national_code_abroad: "کد ملی (اختیاری)", national_code_hint_abroad: "اگر در گذرنامه آمده است؛ ده رقم",
      mobile_hint_abroad: "با پیش‌شماره کشور، مانند \u2066+49 151 12345678\u2069",
      birth_date_abroad: "تاریخ تولد", calendar: "تقویم", gregorian: "میلادی (مانند گذرنامه)", jalali: "خورشیدی",
      card_h_abroad: "صفحه مشخصات گذرنامه",
      card_help_abroad: "از صفحه مشخصات گذرنامه (صفحه عکس‌دار با دو سطر حروف در پایین آن) در نور کافی و بدون بازتاب عکس بگیرید یا تصویر آن را انتخاب کنید؛ همه صفحه و آن دو سطر در قاب باشد.",
      passport_page: "صفحه مشخصات گذرنامه (الزامی)",
      err_passport_number: "شماره گذرنامه را با حرف و رقم لاتین، مانند گذرنامه وارد کنید.",
      err_nationality: "کد سه‌حرفی ملیت را مانند گذرنامه وارد کنید (برای ایران IRN).",
      err_latin: "به حروف لاتین و مانند گذرنامه بنویسید.",
      err_mobile_abroad: "شماره همراه معتبر نیست؛ آن را با پیش‌شماره کشور وارد کنید.",
      err_national_code_abroad: "کد ملی معتبر نیست؛ ده رقم آن را وارد کنید یا خالی بگذارید.",
      err_passport_page: "تصویر صفحه مشخصات گذرنامه را انتخاب کنید.",
      err_image_abroad: "این تصویر پذیرفته نشد؛ عکس دیگری از صفحه مشخصات گذرنامه بگیرید.",
      guide_document: "همه کارت را صاف، در نور کافی و بدون بازتاب در قاب بگیرید.",
      guide_document_abroad: "همه صفحه مشخصات را صاف، در نور کافی و بدون بازتاب در قاب بگیرید؛ دو سطر پایین صفحه هم دیده شود.",
      title: "ثبت‌نام در سامانه ثنا", steps_label: "مراحل", step_identity: "مشخصات", step_card: "کارت ملی",
      step_challenge: "ویدیو", step_result: "نتیجه", identity_h: "مشخصات خود را وارد کنید",
      first_name: "نام", last_name: "نام خانوادگی", national_code: "کد ملی", national_code_hint: "ده رقم؛ رقم فارسی یا لاتین", mobile: "شماره همراه",
      mobile_hint: "مانند ۰۹۱۲۱۲۳۴۵۶۷؛ به نام خودتان", birth_date: "تاریخ تولد (خورشیدی)",
      day: "روز", month: "ماه", year: "سال", choose: "انتخاب کنید", continue: "ادامه",
      card_h: "روی کارت ملی",
      card_help: "از روی کارت ملی در نور کافی عکس بگیرید یا تصویر آن را انتخاب کنید؛ همه کارت در قاب باشد.",
      card_front: "روی کارت (الزامی)", card_back: "پشت کارت (اختیاری)", upload: "ارسال",
      challenge_h: "ویدیوی کوتاه از چهره",
      challenge_help: "در نور کافی، رو به دوربین بنشینید. این حرکات را به ترتیب انجام دهید:",
      start: "شروع فیلم‌برداری", look: "به دوربین نگاه کنید", uploading: "در حال ارسال ویدیو…",
      waiting: "در حال بررسی…", sana_code: "کد ثنا:",
      keep: "این کد را نگه دارید؛ در سامانه‌های قضایی با آن شناخته می‌شوید.", again: "شروع دوباره",
      blink: "پلک بزنید", turn_left: "سر را به چپ بچرخانید", turn_right: "سر را به راست بچرخانید",
      open_mouth: "دهان را باز کنید",
      APPROVED: "احراز هویت انجام شد", DECLINED: "احراز هویت پذیرفته نشد", REVIEW: "در انتظار بررسی کارشناس",
      RETRY: "لطفاً دوباره تلاش کنید", failed: "پرونده بررسی نشد",
      err_first_name: "نام را وارد کنید.", err_last_name: "نام خانوادگی را وارد کنید.",
      err_national_code: "کد ملی معتبر نیست؛ ده رقم کارت ملی را وارد کنید.",
      err_mobile: "شماره همراه معتبر نیست؛ شماره ایرانی به نام خودتان وارد کنید.",
      err_birth_date: "تاریخ تولد کامل یا معتبر نیست.", err_card_front: "تصویر روی کارت را انتخاب کنید.",
      err_too_large: "فایل بیش از اندازه بزرگ است.", err_network: "ارتباط با سامانه برقرار نشد؛ دوباره تلاش کنید.",
      err_image: "این تصویر پذیرفته نشد؛ عکس دیگری از کارت بگیرید.",
      err_expired: "زمان این مرحله تمام شد؛ حرکات تازه را انجام دهید.",
      err_timeout: "بررسی بیش از حد طول کشید؛ کمی بعد دوباره تلاش کنید.",
      camera_refused: "اجازه استفاده از دوربین داده نشد. از تنظیمات مرورگر (نماد قفل کنار نشانی) دسترسی دوربین را برای این صفحه روشن کنید و دوباره «شروع» را بزنید.",
      camera_missing: "دوربینی پیدا نشد. با گوشی یا رایانه‌ای که دوربین دارد ادامه دهید.",
      camera_failed: "دوربین باز نشد؛ برنامه‌های دیگری را که از دوربین استفاده می‌کنند ببندید و دوباره تلاش کنید.",
      no_recorder: "این مرورگر فیلم‌برداری را پشتیبانی نمی‌کند؛ از نسخه تازه Chrome، Firefox یا Safari استفاده کنید.",
      too_dark: "نور کم است؛ رو به نور بنشینید.",
      guide_face: "چهره شما باید تمام مدت کامل و روشن در قاب باشد؛ عینک آفتابی و ماسک را بردارید و مدرک را جلوی دوربین نگیرید.",
      guide_live: "هر حرکت را همان لحظه‌ای که روی صفحه نوشته شده انجام دهید؛ از عکس یا ویدیوی ضبط‌شده استفاده نکنید.",
    },
    en: {
      path_q: "Which document do you register with?", path_resident: "I live in Iran: national card",
      path_resident_hint: "Your smart national card and an Iranian mobile in your own name",
      path_abroad: "I live abroad: passport", path_abroad_hint: "A valid Iranian passport and a mobile from any country",
      step_card_abroad: "Passport", first_name_abroad: "First name in Latin letters (as in the passport)",
      last_name_abroad: "Last name in Latin letters (as in the passport)",
      passport_number: "Passport number", passport_number_hint: "Letters and digits, as on the data page",
      nationality: "Nationality (the passport's three-letter code)", nationality_hint: "For Iran: IRN",
      national_code_abroad: "National code (optional)", national_code_hint_abroad: "If your passport shows it: ten digits",
      mobile_hint_abroad: "With the country code, like +49 151 12345678",
      birth_date_abroad: "Date of birth", calendar: "Calendar", gregorian: "Gregorian (as in the passport)",
      jalali: "Solar Hijri", card_h_abroad: "Your passport's data page",
      card_help_abroad: "Photograph the passport's data page (the one with your photo and two lines of letters at its foot) in good light without glare, or choose a picture of it; keep the whole page, those two lines included, in the frame.",
      passport_page: "Passport data page (required)",
      err_passport_number: "Enter the passport number in Latin letters and digits, as in the passport.",
      err_nationality: "Enter the three-letter nationality code, as in the passport (IRN for Iran).",
      err_latin: "Write it in Latin letters, as in the passport.",
      err_mobile_abroad: "The mobile number is not valid: enter it with its country code.",
      err_national_code_abroad: "The national code is not valid: enter its ten digits or leave it empty.",
      err_passport_page: "Choose a picture of the passport's data page.",
      err_image_abroad: "This picture was not accepted; take another photo of the passport's data page.",
      guide_document: "Keep the whole card flat in the frame, in good light and without glare.",
      guide_document_abroad: "Keep the whole data page flat in the frame, in good light and without glare, the two lines at its foot included.",
      title: "Register with SANA", steps_label: "Steps", step_identity: "Details", step_card: "ID card",
      step_challenge: "Video", step_result: "Result", identity_h: "Enter your details",
      first_name: "First name", last_name: "Last name", national_code: "National code", national_code_hint: "Ten digits, Persian or Latin",
      mobile: "Mobile number", mobile_hint: "Like 09121234567, in your own name",
      birth_date: "Date of birth (Solar Hijri)", day: "Day", month: "Month", year: "Year",
      choose: "Choose", continue: "Continue", card_h: "Front of your national card",
      card_help: "Photograph the front of your national card in good light, or choose a picture of it; keep the whole card in the frame.",
      card_front: "Front of the card (required)", card_back: "Back of the card (optional)", upload: "Send",
      challenge_h: "A short video of your face",
      challenge_help: "Sit facing the camera in good light. Do these movements in order:",
      start: "Start recording", look: "Look at the camera", uploading: "Sending the video…",
      waiting: "Checking…", sana_code: "SANA code:",
      keep: "Keep this code: the judiciary's services know you by it.", again: "Start again",
      blink: "Blink", turn_left: "Turn your head left", turn_right: "Turn your head right",
      open_mouth: "Open your mouth",
      APPROVED: "You are verified", DECLINED: "The verification was declined", REVIEW: "Waiting for an officer",
      RETRY: "Please try again", failed: "The case could not be checked",
      err_first_name: "Enter your first name.", err_last_name: "Enter your last name.",
      err_national_code: "The national code is not valid: enter the ten digits of your card.",
      err_mobile: "The mobile number is not valid: enter an Iranian number in your own name.",
      err_birth_date: "The date of birth is incomplete or impossible.",
      err_card_front: "Choose a picture of the card's front.", err_too_large: "The file is too large.",
      err_network: "The service could not be reached; try again.",
      err_image: "This picture was not accepted; take another photo of the card.",
      err_expired: "The time for this step ran out; do the new movements.",
      err_timeout: "The check is taking too long; try again a little later.",
      camera_refused: "The camera was not allowed. Turn the camera on for this page in the browser's settings (the lock beside the address) and press Start again.",
      camera_missing: "No camera was found. Continue on a phone or computer that has one.",
      camera_failed: "The camera did not open; close other apps that use it and try again.",
      no_recorder: "This browser cannot record video; use a recent Chrome, Firefox or Safari.",
      too_dark: "The light is poor: face a light.",
      guide_face: "Keep your whole face in the frame and well lit the whole time; take off sunglasses and masks, and do not hold a document to the camera.",
      guide_live: "Do each movement when the screen shows it; do not use a photo or a recorded video.",
    },
  };
  const MONTHS = {
    fa: ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"],
    en: ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey",
      "Bahman", "Esfand"],
  };
  const LEAD_MS = 2000; // still frames first: the tracker's baseline
  const STEP_MS = 3000;
  const POLL_MS = 1000;
  const POLL_LIMIT_MS = 180000;
  const FINAL = ["decided", "review", "failed"];
  const FACE_REASONS = [
    "face_not_found", "face_photo_small", "face_photo_occluded", "document_in_frame", "face_mismatch",
    "face_match_unsure",
  ];
  // a selfie of a print (face_photo_print) is helped by the same guide as a replay: film yourself
  const LIVE_REASONS = ["liveness_attack", "liveness_retry", "liveness_expired", "face_photo_print"];
  const DOCUMENT_REASONS = ["document_unreadable", "document_low_confidence", "mrz_invalid"];
  // the typed fields of each path, in the page's order (the first refused one takes the focus)
  const FIELDS = {
    resident: ["first_name", "last_name", "national_code", "mobile"],
    abroad: ["first_name", "last_name", "passport_number", "nationality", "national_code", "mobile"],
  };
  const ORDER = [...FIELDS.abroad, "birth_date"];
  const OPTIONAL = { resident: [], abroad: ["national_code"] };
  // what the service compares with the passport's machine-readable lines
  const LATIN_NAME = /^[A-Za-z][A-Za-z' -]*$/;
  const PASSPORT_NUMBER = /^[A-Z0-9]{1,20}$/;
  const COUNTRY = /^[A-Z]{3}$/;
  const ANY_MOBILE = /^(\+[1-9][0-9]{6,14}|0?9[0-9]{9})$/; // international, or an Iranian one

  const $ = (id) => document.getElementById(id);
  let lang = "fa";
  let path = "resident"; // or "abroad": the person's first choice
  let calendar = "gregorian"; // the abroad path's birth date; residents give the Solar Hijri one
  let kase = null; // {id, token}
  let steps = [];
  let issuedAt = 0;
  let lastCase = null;

  const t = (key) => {
    const twin = key + "_abroad";
    return TEXT[lang][path === "abroad" && twin in TEXT[lang] ? twin : key] || key;
  };
  const dateCalendar = () => (path === "abroad" ? calendar : "jalali");
  // Persian and Arabic-Indic digits as ASCII ones (both blocks start at a multiple of 16)
  const ascii = (text) => text.replace(/[۰-۹٠-٩]/g, (c) => String(c.charCodeAt(0) % 16));

  function applyLanguage() {
    const html = document.documentElement;
    html.lang = lang;
    html.dir = lang === "fa" ? "rtl" : "ltr";
    document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll("[data-i18n-label]").forEach((el) => {
      el.setAttribute("aria-label", t(el.dataset.i18nLabel));
    });
    const other = lang === "fa" ? "en" : "fa";
    const button = $("lang");
    button.lang = other;
    button.textContent = other === "en" ? "English" : "فارسی";
    button.setAttribute("aria-label", other === "en" ? "Read this page in English" : "این صفحه به فارسی");
    fillDate();
    showSteps();
    if (lastCase) showResult(lastCase);
  }

  function option(value, label) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function digits(n) {
    return lang === "fa" ? n.toLocaleString("fa-IR", { useGrouping: false }) : String(n);
  }

  function thisJalaliYear() {
    const y = parseInt(new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", { year: "numeric" }).format(new Date()), 10);
    return Number.isFinite(y) ? y : new Date().getFullYear() - 621;
  }

  function fill(select, items) {
    const keep = select.value;
    select.replaceChildren(option("", t("choose")), ...items.map(([v, label]) => option(v, label)));
    select.value = keep;
  }

  function gregorianMonths() {
    const names = new Intl.DateTimeFormat(lang + "-u-ca-gregory", { month: "long", timeZone: "UTC" });
    return Array.from({ length: 12 }, (_, i) => names.format(Date.UTC(2000, i, 1)));
  }

  function fillDate() {
    const gregorian = dateCalendar() === "gregorian";
    const top = gregorian ? new Date().getUTCFullYear() : thisJalaliYear();
    const years = [];
    for (let y = top; y >= top - 110; y--) years.push([String(y), digits(y)]);
    fill($("birth_year"), years);
    const months = gregorian ? gregorianMonths() : MONTHS[lang];
    fill($("birth_month"), months.map((name, i) => [String(i + 1).padStart(2, "0"), name]));
    const month = parseInt($("birth_month").value || "1", 10);
    const year = parseInt($("birth_year").value || "2000", 10); // 2000 leaps: 29 February until a year is chosen
    // Esfand's 30th exists in leap years only: the server judges
    const days = gregorian ? new Date(Date.UTC(year, month, 0)).getUTCDate() : month <= 6 ? 31 : 30;
    const list = [];
    for (let d = 1; d <= days; d++) list.push([String(d).padStart(2, "0"), digits(d)]);
    fill($("birth_day"), list);
  }

  function clearDate() {
    for (const id of ["birth_year", "birth_month", "birth_day"]) $(id).value = "";
  }

  // The typed date as the service takes it: Solar Hijri YYYY/MM/DD (null when incomplete or impossible).
  function birthDate() {
    const y = $("birth_year").value, m = $("birth_month").value, d = $("birth_day").value;
    if (!(y && m && d)) return null;
    if (dateCalendar() === "jalali") return `${y}/${m}/${d}`;
    const day = new Date(Date.UTC(+y, +m - 1, +d));
    if (day.getUTCMonth() !== +m - 1) return null;
    const parts = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
      timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit",
    }).formatToParts(day);
    const part = (type) => parts.find((p) => p.type === type).value;
    return `${part("year")}/${part("month")}/${part("day")}`;
  }

  // The first choice: the fields, the document and every text follow the path.
  function setPath(chosen) {
    path = chosen;
    document.querySelectorAll("[data-path]").forEach((el) => { el.hidden = el.dataset.path !== path; });
    const abroad = path === "abroad";
    $("national_code").required = !abroad;
    for (const f of ["first_name", "last_name"]) {
      if (abroad) $(f).dir = "ltr"; // as in the passport's Latin lines
      else $(f).removeAttribute("dir");
    }
    for (const f of ORDER) fieldError(f, "");
    clearDate();
    applyLanguage();
  }

  function show(step) {
    for (const id of ["identity", "card", "challenge", "result"]) $(id).hidden = id !== step;
    document.querySelectorAll(".progress li").forEach((li) => {
      if (li.dataset.step === step) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    $(step + "-h").focus();
  }

  function alertText(text) {
    $("alert").textContent = text || "";
    $("alert").hidden = !text;
  }

  function fieldError(field, text) {
    const p = $(field + "-error");
    const input = $(field) || $("birth_year");
    p.textContent = text || "";
    p.hidden = !text;
    if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  }

  class ApiFailure extends Error {
    constructor(status, body) {
      super(body.error || String(status));
      this.status = status;
      this.body = body;
    }
  }

  async function api(method, path, body, type) {
    const headers = {};
    if (kase) headers.authorization = "Bearer " + kase.token;
    if (type) headers["content-type"] = type;
    let answer;
    try {
      answer = await fetch(path, { method, headers, body, cache: "no-store", credentials: "omit" });
    } catch {
      throw new ApiFailure(0, { error: "network" });
    }
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new ApiFailure(answer.status, data);
    return data;
  }

  function explain(err) {
    if (!(err instanceof ApiFailure)) return t("err_network");
    if (err.status === 0) return t("err_network");
    if (err.status === 413) return t("err_too_large");
    if (err.body.error === "challenge_expired") return t("err_expired");
    return err.body.message || t("err_network");
  }

  // -- identity --------------------------------------------------------------------
  // The path's subject and the refused fields ([field, text key]); the abroad path's values
  // made the way the passport writes them (compact, upper case, an international mobile).
  function typedSubject() {
    const subject = {}, refused = [];
    for (const f of FIELDS[path]) {
      const value = $(f).value.trim();
      if (value) subject[f] = value;
      else if (!OPTIONAL[path].includes(f)) refused.push([f, "err_" + f]);
    }
    if (path === "abroad") {
      for (const f of ["first_name", "last_name"]) {
        if (subject[f] && !LATIN_NAME.test(subject[f])) refused.push([f, "err_latin"]);
      }
      const tidy = {
        passport_number: [(v) => ascii(v).replace(/[\s-]/g, "").toUpperCase(), PASSPORT_NUMBER],
        nationality: [(v) => v.toUpperCase(), COUNTRY],
        mobile: [(v) => ascii(v).replace(/[\s().-]/g, "").replace(/^00/, "+"), ANY_MOBILE],
      };
      for (const [f, [made, rule]] of Object.entries(tidy)) {
        if (!subject[f]) continue;
        subject[f] = made(subject[f]);
        if (!rule.test(subject[f])) refused.push([f, "err_" + f]);
      }
    }
    const birth = birthDate();
    if (birth) subject.birth_date = birth;
    else refused.push(["birth_date", "err_birth_date"]);
    refused.sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]));
    return [subject, refused];
  }

  async function submitIdentity(event) {
    event.preventDefault();
    alertText("");
    for (const f of ORDER) fieldError(f, "");
    const [subject, refused] = typedSubject();
    if (refused.length) {
      refused.forEach(([f, key]) => fieldError(f, t(key)));
      ($(refused[0][0]) || $("birth_day")).focus();
      return;
    }
    const button = event.submitter || event.target.querySelector("button");
    button.disabled = true;
    kase = null;
    lastCase = null;
    try {
      const made = await api("POST", "/v1/cases", JSON.stringify({ path, subject }), "application/json");
      kase = { id: made.id, token: made.token };
      show("card");
    } catch (err) {
      const field = err.body && err.body.field;
      if (field && TEXT[lang]["err_" + field]) {
        fieldError(field, t("err_" + field));
        ($(field) || $("birth_day")).focus();
      } else alertText(explain(err));
    } finally {
      button.disabled = false;
    }
  }

  // -- card --------------------------------------------------------------------------
  async function submitCard(event) {
    event.preventDefault();
    alertText("");
    const abroad = path === "abroad";
    const input = abroad ? "passport_page" : "card_front"; // either is the upload's document_front
    fieldError(input, "");
    const front = $(input).files[0];
    if (!front) {
      fieldError(input, t("err_" + input));
      $(input).focus();
      return;
    }
    const button = event.submitter || event.target.querySelector("button");
    button.disabled = true;
    try {
      await api("PUT", `/v1/cases/${kase.id}/uploads/document_front`, front, front.type || "application/octet-stream");
      const back = !abroad && $("card_back").files[0];
      if (back) await api("PUT", `/v1/cases/${kase.id}/uploads/document_back`, back, back.type || "application/octet-stream");
      await newChallenge();
      show("challenge");
    } catch (err) {
      alertText(explain(err));
    } finally {
      button.disabled = false;
    }
  }

  // -- challenge ---------------------------------------------------------------------
  async function newChallenge() {
    const answer = await api("POST", `/v1/cases/${kase.id}/challenge`);
    steps = answer.challenge.steps;
    issuedAt = Date.now();
    showSteps();
    $("challenge-intro").hidden = false;
    $("recording").hidden = true;
  }

  function showSteps() {
    $("challenge-steps").replaceChildren(...steps.map((s) => {
      const li = document.createElement("li");
      li.dataset.action = s;
      li.textContent = t(s);
      return li;
    }));
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function countdown(label, ms) {
    $("now").textContent = label;
    const end = performance.now() + ms;
    for (let left = ms; left > 0; left = end - performance.now()) {
      $("countdown").textContent = digits(Math.ceil(left / 1000));
      await sleep(Math.min(200, left));
    }
  }

  function tooDark(video) {
    const canvas = document.createElement("canvas");
    canvas.width = 32;
    canvas.height = 24;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, 32, 24);
    const px = ctx.getImageData(0, 0, 32, 24).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
    return sum / (px.length / 4) < 60;
  }

  // At most 24 frames a second: the liveness budget is 300 frames, and three steps last 11 s.
  const CAMERA = { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } };
  const RATE = { frameRate: { ideal: 15, max: 24 } };

  async function openCamera() {
    const open = (video) => navigator.mediaDevices.getUserMedia({ video, audio: false });
    try {
      try {
        return await open({ ...CAMERA, ...RATE });
      } catch (err) {
        if (err && err.name === "OverconstrainedError") return await open(CAMERA); // a camera that cannot slow down
        throw err;
      }
    } catch (err) {
      const name = err && err.name;
      if (name === "NotAllowedError" || name === "SecurityError") alertText(t("camera_refused"));
      else if (name === "NotFoundError" || name === "OverconstrainedError") alertText(t("camera_missing"));
      else alertText(t("camera_failed"));
      return null;
    }
  }

  async function record() {
    alertText("");
    if (!window.MediaRecorder || !navigator.mediaDevices) {
      alertText(t("no_recorder"));
      return;
    }
    if (Date.now() - issuedAt > 15000) await newChallenge(); // each challenge lasts 30 s
    const mime = kycRecording.TYPES.find((m) => MediaRecorder.isTypeSupported(m));
    const stream = await openCamera();
    if (!stream) return;
    $("challenge-intro").hidden = true;
    $("recording").hidden = false;
    const video = $("preview");
    video.srcObject = stream;
    const recorder = new MediaRecorder(stream, kycRecording.options(mime));
    const chunks = [];
    recorder.ondataavailable = (e) => { if (e.data.size) chunks.push(e.data); };
    const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
    recorder.start(250);
    setTimeout(() => { if (video.videoWidth && tooDark(video)) alertText(t("too_dark")); }, 600);
    await countdown(t("look"), LEAD_MS);
    for (const s of steps) await countdown(t(s), STEP_MS);
    recorder.stop();
    await stopped;
    performance.mark("kyc:challenge-done");
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
    $("countdown").textContent = "";
    $("now").textContent = t("uploading");
    const blob = new Blob(chunks, { type: recorder.mimeType });
    try {
      await api("PUT", `/v1/cases/${kase.id}/uploads/selfie_video`, blob, recorder.mimeType || "video/webm");
      await api("POST", `/v1/cases/${kase.id}/submit`);
    } catch (err) {
      alertText(explain(err));
      if (err.status === 409) await newChallenge().catch(() => {});
      else { $("challenge-intro").hidden = false; $("recording").hidden = true; }
      return;
    }
    await poll();
  }

  // -- result ------------------------------------------------------------------------
  async function poll() {
    lastCase = null;
    $("result-h").textContent = "";
    $("result-h").className = "";
    $("waiting").hidden = false;
    $("sana").hidden = $("keep").hidden = true;
    $("reasons").replaceChildren();
    $("guidance").hidden = true;
    $("again").hidden = true;
    show("result");
    const until = Date.now() + POLL_LIMIT_MS;
    while (Date.now() < until) {
      try {
        const c = await api("GET", `/v1/cases/${kase.id}`);
        if (FINAL.includes(c.status)) {
          lastCase = c;
          showResult(c);
          performance.mark("kyc:result-shown");
          $("result-h").focus();
          return;
        }
      } catch (err) {
        if (err.status !== 0 && err.status < 500) { alertText(explain(err)); return; }
      }
      await sleep(POLL_MS);
    }
    alertText(t("err_timeout"));
    $("again").hidden = false;
  }

  function showResult(c) {
    const outcome = c.status === "failed" ? "failed" : c.decision;
    $("waiting").hidden = true;
    $("result-h").textContent = t(outcome);
    $("result-h").className = outcome;
    $("sana").hidden = $("keep").hidden = !c.sana_code;
    $("sana-code").textContent = c.sana_code || "";
    const reasons = (c.reasons || []).map((r) => {
      const li = document.createElement("li");
      li.dataset.code = r.code;
      li.textContent = r[lang] || r.en;
      return li;
    });
    if (c.error) {
      const li = document.createElement("li");
      li.dataset.code = c.error.error;
      li.textContent = c.error.error === "image_rejected" ? t("err_image") : c.error.message;
      reasons.push(li);
    }
    $("reasons").replaceChildren(...reasons);
    const codes = (c.reasons || []).map((r) => r.code);
    const guide = codes.some((x) => FACE_REASONS.includes(x)) ? "guide_face"
      : codes.some((x) => LIVE_REASONS.includes(x)) ? "guide_live"
        : codes.some((x) => DOCUMENT_REASONS.includes(x)) ? "guide_document" : "";
    $("guidance").textContent = guide ? t(guide) : "";
    $("guidance").hidden = !guide;
    $("again").hidden = c.decision === "APPROVED" || c.status === "review";
  }

  function again() {
    kase = null;
    lastCase = null;
    steps = [];
    alertText("");
    $("card_front").value = "";
    $("card_back").value = "";
    $("passport_page").value = "";
    show("identity");
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("identity-form").addEventListener("submit", submitIdentity);
    $("identity-form").addEventListener("input", (event) => { // a field being corrected loses its error
      if ($(event.target.id + "-error")) fieldError(event.target.id, "");
    });
    $("card-form").addEventListener("submit", submitCard);
    $("start").addEventListener("click", () => { record().catch((e) => alertText(explain(e))); });
    $("again").addEventListener("click", again);
    $("birth_month").addEventListener("change", fillDate);
    $("birth_year").addEventListener("change", fillDate); // February's 29th
    document.querySelectorAll('input[name="path"]').forEach((radio) => {
      radio.addEventListener("change", () => setPath(radio.value));
    });
    document.querySelectorAll('input[name="calendar"]').forEach((radio) => {
      radio.addEventListener("change", () => { calendar = radio.value; clearDate(); fillDate(); });
    });
    $("lang").addEventListener("click", () => { lang = lang === "fa" ? "en" : "fa"; applyLanguage(); });
    calendar = document.querySelector('input[name="calendar"]:checked').value; // a form the browser restored
    setPath(document.querySelector('input[name="path"]:checked').value);
    document.querySelector('.progress li[data-step="identity"]').setAttribute("aria-current", "step");
    document.body.dataset.ready = "1";
  });
})();
