"""``python -m kyc_sdk.cli``: the same as the ``kyc-sdk`` command."""

from kyc_sdk.entry import run

run()
