"""``python -m kyc_sdk.cli``: the same as the ``kyc-sdk`` command."""

from kyc_sdk.cli import main

main()
