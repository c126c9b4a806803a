"""Files the registration samples ship: the face crop (see ``kyc_sdk.registration.samples``)."""
