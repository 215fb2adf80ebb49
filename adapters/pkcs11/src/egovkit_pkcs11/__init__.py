"""PKCS#11 tokens (USB token, HSM) as egovkit signers.

>>> from egovkit_pkcs11 import Pkcs11Signer, pin_from_env
>>> callable(pin_from_env("EGOVKIT_PIN"))
True

:class:`Pkcs11Signer` implements :class:`egovkit.signatures.signer.Signer`, so it signs edXML
envelopes (:func:`egovkit.signatures.sign_envelope`) and PDFs (``egovkit_pdf.sign_pdf``) alike.
:mod:`egovkit_pkcs11.softhsm` makes a throw-away SoftHSM2 token for tests and examples.
"""

from __future__ import annotations

from egovkit_pkcs11.signer import PinCallback, Pkcs11Signer, pin_from_env

__all__ = ["PinCallback", "Pkcs11Signer", "pin_from_env"]
