"""A fixture PKI for tests and documentation examples: never for real signatures.

Shaped like the Government Cipher Committee's hierarchy (a root, an intermediate "CA phục vụ các
cơ quan Nhà nước G2" look-alike) with agency and personal signers carrying Vietnamese ``UID``
profiles, RSA and ECDSA keys, expired, not-yet-valid and revoked variants, CRLs and OCSP answers.
All names say THỬ NGHIỆM (test).

The private keys are fixed (below) or derived from fixed numbers, so building the PKI is fast
and the certificates depend only on ``now`` and ``base_url``; they are PUBLIC TEST KEYS.

>>> from egovkit.testing.pki import FixturePKI
>>> pki = FixturePKI.create()
>>> pki.agency.certificate.subject.rfc4514_string().endswith("UID=MNS:1234567")
True
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Final

import attrs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from egovkit.signatures.revocation import RevocationSources
from egovkit.signatures.signer import KeyFileSigner
from egovkit.signatures.trust import TrustStore

#: PUBLIC test keys (RSA); anyone can read them, so they prove nothing outside tests.
_RSA_KEYS: Final[dict[str, bytes]] = {
    "root": b"""-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCUriEWVzJvaS0s
7F+Yiropksr104OZC0pgDUaCQDIaFTVlfbb0Nb8LWbf0up3fxjIQFxIu4HCY3SEu
AaICL4FPh98oSJsP/GYXwIZ77//P/uhN9NAU+uJ8VLAkjQuymJZfoT840J3AvF68
MzGzKAMpPnEENLtOKXvoowjfnpX5gcKkoM+K/8a70/Ey05Sd2uC5kVjXWbiiv7dZ
GTjgOgeEYdojq9AMsRwLwnV7CcKBRJOtcBVAHGD+PS/IcOmATqMyLfCdNip8s9go
K3s1BG1GtSrRpiocc63Lw8txS22nBCppe4kSuybNp0GtRX94LrHPFke/HVq/bqrL
N5f0W0Z9AgMBAAECggEAI5PUXo5whujd0sdgK7YcjHiwIOljbuKdAkWC9wWKB6RG
EfpmZmMbC0oFgyYJw6OfVKrUost5nhaiCyqAXDIGaSPL8k2Hb2iX/HyJIcyhA+JN
L+RSS4bqXdJ9EM4Ae9TX/Nuur3d6HEXnDHVaofKD6SFkNVux62bxW85xf+Moo5q8
Fhp5ZuVhUxvELLyONHYpLY+eDxyXBxjVcIIsHr0X/Jz4cyxO0OyoT+TGy18JOYoy
XjlhBuj4/q1P9tDzUxiyNWG8zgCTEQN/YCmAW1UBSNjBjnP55Uc2w4m5ogAutIYE
ZXnmKMUc5I8HVbAXxdUjDfKG7cdX57XnK+3TmUcGMQKBgQDOeaMfCfbV0FIxsHyd
nebaH87+IlrdgXdSOvbOvQ2eUM3wxUwBsANGkzyZPdfpRVhYQqmjHjWDjFSvtxlG
1fQy217ljaTPyQ6Ke+NpCJCn+bf7wjQYirVAwYDDQbFBrXPdff3/Ag40JF7qs5C4
x+bqzCYXISNUl3V/wzViummuEQKBgQC4V6k/mZPr7+q9mm4x80R3C9HT49TOgiP6
razexFri5RmV08ghTSrbYiYuYUQKUdXP9MzhsgQN4WW7qUK8947lTPZKqw23BZFO
3sUptjXRicNm4KKsGzMr+MqDBIeg0vlHTv1Z9pGaK0s01XvlJ6LbICYn1n2aJ4kj
GbhsENVVrQKBgD80oSi5RiSB1wd6/UrKsYaIQjctkR9JqJs1jaQP34FdPw27d970
YKxUGjLW6adxIPAzx/Y1IzCX3rzDkitLB6wh11TyHUe2RotCDYVzp8Sj/xxEgOoa
XA3srlwXWgm+7T8aeIx9tpdjouK6AU1vdFLgF7Dw5f3ZN5Da0xbb9cnhAoGAfG6/
0iyKywJBxAaQR6tcFbemxY7OwS7btoSxYhXM+8eFw7sXJlN+kGPqPfhuA0FGQH+Q
JPETB4OUNl6ErCW3EVUoEzLvqRFbCpAZKpTSM0T432LWq7IYkp/3owTVwFto5ReO
sMFde2Gp/Fn2rbJZnexPlSiV1A7H5Sehc2DRgGkCgYA2L0N1s84rGmgBV7nFfTt0
KflaW/7YWijxN8LXiFlcrZWej34xbq7AFBJc4jgbvpDRgukqwC/+SPOFq9FkhPX6
NwfQKnNtzyadU5wBCkIVDUb+IQNC21Ebp8kkbJDD/q39DEGLmn0MOWVrfqhRuPbu
klwvEejQN0kYw6Y6LfyInA==
-----END PRIVATE KEY-----
""",
    "intermediate": b"""-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDYX9omrMgdkasu
6rTP8r0YwFyA0ITSs+QkmOR6150j794fw2ng9mxPB0TrWHyP2aEMb40Ru9yhkm+v
1sBkdQAg4OMXv7gtUleK2mK0CdIEhur/kBpi22qdOXlNJrUUJJp8qTcbz0Jo5C6N
U/QHtZoIYGGBb+2hz/QbLPnWzAFZUW0yLJ4mZcoslHva5CbSND91drupVhaucyYV
rt/8mmCZtP1Gs85UhOXY06kld9CQ7UIoaiEMBiWf9V5e/ceuDoeeGhph/HYr/Rht
nwkEMq1RSzL9MKlpXjMspvjvVHx4dElfuQ4PrINfaTLSHBw24idj0itigSE+Atn/
gkJJdoUxAgMBAAECggEAED+meLgJ8RqC0eujN2iBpc2wRKYkC1SiAdOPeOAfN1co
hZcdqNyohojDtq627/CGZRItdFL4vxNpmrlUSlb08wMgWqS1loWz+EPtHJsOL/PX
yuhN6vWSPItX3iDVgVU8Wrc0Yby/PnRAQLG4xilvj0h5mghHPpsIuE+41VYNleDh
ls6Vl8aUXVb+TtOeZZBIxQso0Bb5M3db1biFMqMbPTWNINL8LLW6ZzYr1eTbCQ36
BqyJqSe+Ex9+mFJHgQg9z3Eb+KzFhgMwH1rvYkT+K49d1B7hdLGsiWny5Ar8jogf
QsozMMwYylU60e4TCuf2r0A+JQ0NUimDxDtoCgHNqQKBgQD7eJWhbckVjhIDlibQ
/zQNYqdi7c6Vsg5DVlKfuaMc23bQc1YxuZg5Ddk28OORTHBse+yve2GeVXQVfxx5
NOSO2Suo6Iu+nKX33Fq70UQRsZHMFVKnRZp3BNuB1pqX+X1ixpyxB0l36IYmoTxA
9cqgeyzCxImXq7xkA+D9Fdpu1QKBgQDcRXQdf7kSxgYQc97ZLsz+bg0FE6gaaYWd
U77TqypZ9r5uPjpe2ev3hJiMXcrXoQZPfS1zWXvq4kk5sftgPy25ozPqgJsgVSy6
A6ypGgxqpcGZs18cF5YAFarwX7WR6yZZyychwooheJo3YefXqoeDnt1BBGCkynzf
vvgzun9C7QKBgFVo4FFiy2BRz5Z+QhLMCu7c6gM0x+yZ/DQstoVfdKIRfCpSch0T
bzs5k+QQLwqjjq+Z64qyejZfybyfXplgOJy38Bc/XG9SHyCvK/YMnnTv/Zf2Sgtc
HZl9Adz4eatSZp7M3F1YH0DlreKi8qcRlE+rZkmEnULxZlwF4T20VWs9AoGBAMTf
MrP25yR3Zw4ncgMtSD0TgYGLGxFYRPrj0cf/0R+NYJDJ/4OtRLD6ixnR7q0hF7HO
EORrE01RKN9vS1yvux+TVaB/h6azWgF7rUOKq5RaSBom7pf+IKw8sYacFH2x7ZoN
8BDFfo4B69waHoxstygVwm0NC4/eBxQ37EDXrEzVAoGAQsLgyhqDRdjTXwyOqHPX
CbRBD3LUDq1R1GJrgZv5o2lujfoVkqz3jYcFhfoqGDBcCyI42/axenAGZjI3qEJ1
dxeGfkknuwnXnitM27apglBAPf3uPJbdIudjgurAS36VMAEAd3hOECUzAQv8/NgC
Zp7G3SrgrrRKxfG0LRYmx4c=
-----END PRIVATE KEY-----
""",
    "agency": b"""-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC2zaaEThc1FqbH
VYYd3sNZJeYa89V0kRQluv/W5KzmuOZlbayiu+1IB4fnItrFKdRRQMdCFwxpUwsm
SUC2oGPGwIKmS/L4xgsUEa0ey63UAL1fDdgVcVOZzCxFj9TYQDnUSFZJ0FeyurSn
79K1veP5z5PstIynfoMdburjFuWZfZXJY9Ts2cxTY7UfFpjMFtMxG1u+OLkzyFJa
xTWzPdfIlF+caMlv7q/z/RQOs1D6RKG0nBMu29v4DNgs0KAyLtTLVLZGJQYKwxhe
s1Pr42WhTL05LvFLkawAOczdCyC4dqgAtkBB8UYAiWv8P5Nov47iYq6358H5DJ9D
1+A+koJ1AgMBAAECggEAAsrRfShtwuBVpNUMiuW0lBFpoXDDfDRHVHMZZhsxGZVV
HH3YUg7rXIzpV6+nG7WKeGvtDXhUGkKk3B8hi93swueZjJ9Jz8Q1UsdukF3NifxO
BKb030oWeItvWQRxXJTtO23tb337Xyw/saDHjwIelxLDd4KjndDnZM36pYRboSDw
T2yp05JY5PaJRrf2pXjVFtFUe9KY3hcFW4yYUafw5IcLXzWERc41xg5Q+EXnC+bD
LKI4AxGTuaNU3zu/tV1NyWffK9h/l3RjChu3v1tm4etlcd++6OV8YFOBABa+UIRX
unvuCsZ4PU6JnpgGk7aX05SkQA9ZEgZK/cv/EOj/IwKBgQD/rW9kT85z3A0UG6jH
qTfnsSh6OBcMA4jWTau2AjR0B1/QZYp9ES9HQLZy7ql/QzFOSUoV4k9c50xC5FQe
xd8hhyrXsZ9tqH/JLuXYutBLTKcBTJSH4ZtO8g7Fz9Zsh/zRy7uL6KXdgvbVZjGT
kzLXqsMqeKEI5kZEjKdujS4JZwKBgQC3CK6wdRsjc2DMBke4IkBH1ji0FCBVxCUz
TnNkqXulW4asrBBXQXTxYHem5hsDcqyICnuUUcEaAuK/u2CwP+HW+OVQaOBhmTx2
g3lpTMTYU7H8qyFScnThUNvoxDfE2Dy9X9g7Jr4DmvexBUY7AMRl2cdBPKpacXVT
kyYNEqc/wwKBgQDzg2krnkMg4D3on+thts7TMk0+ErwIqjki+zkHEhSJShi8sGl1
cu+Xqo/a6WqwFfwY9v7D1xcFghqFP1jLMmSxVz67zqXs2GZU5ADwKgWHIkuRljGF
NaApUaw2RRyRo/dsjeFjgMKxNjIHz9x6FOGAvVhC1D9z7XaRhXFWfsqREwKBgQCQ
S2X8crXsYr9C2QidX1Mxzu5w+RTsyG9TXVuXVg3GNLudUSCoyU+6IwTxLKLLOxJN
RYZbTYBgUzoTUVNOX25ZnWqa07Ng/f8up0OGAiGFMaY1vWvNpbIDF03m2RnmM1rf
KLo9F7Pg/8CZa8EMLvSmHuP4yCy8lImcU3tB/xyfJQKBgD687teBAECeWNM/5SOn
T7xtzuikbUqFIgfc6ToRTLmq1VDKNm/R28Yd0WCJx0xf177pfRFCDXPjv9eva7Yw
QfXRAiK+iYu8gm1iCZEPagK+nWbmXIbZ31CPBs9T1qx4OIl+WWbI+rM1b46iIPHX
BLtocHTDE0dZI5BH/9Jud56o
-----END PRIVATE KEY-----
""",
    "person": b"""-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQClhJYB++typ5Gt
OyVnhAA9JhJwiqgBo4pXqxUSycXrPPtd/cBq0ZyB5FmuEzv+zcCXBA1xDXL8u1GX
IM5Wrv6srS5IM40WDd3+IBBwGsCimWVU8KUQ30gS+M6py8FvP+JKmUb1Jae1y2X4
axzlGxL5+ENfng0DyfXSB7K6LZeAHcPvQps7LZbPMyTf2QihV69SSEM6mE8FpqPz
/Np9k/t0Bbdvb1wODSK5DaqGxZHM2MMOnSvYsw98VM1jyo2U9igi3W09Uhwn7ij+
3Xc/h9y0AkSgSl9gRR838OXT7DqsZYS2pNbAOAUPXATTDI1nyIlRBQuDWglK1Du6
AhOTfcfzAgMBAAECggEAA1lRZ6zfMKyvR+AAe72x+4q/qMNFbvMOI4P0ozKt7HqJ
Y3d04zRmhEJIhjshZaBoGyYb14O8JdzsY7BoPFzCDmBapV9VpXKWYUPo0TvZVfDg
mf1ceaDq5mdeVxUmTsfuHjBHvUILyKPa5lHUfdY0ZhZd1ptuC/uUG7HILfgqLo9j
PjNLvcqf8AjzEutCpfWSdYKdRtxz2dYez9pGPPcvBsne6ssJJg1xaYIKA9yEbg4a
GRsWD6W1I0bCGkhx+MyA6Ro23605sJ9hTMjzShWEc3vxPW0y5iDIimsKVJKvNgdQ
5JhAJq+3pvc4fT2sQFVqPWYmkVzJfTFK8uV1AMzgkQKBgQDjsOo3spQhgRXijrB2
Ed+mDXh9ty4TP+TfaPGmChVDwc2T77nfQE1lsqC7PrSC2jIcgcflafuPMlZ9Twjn
ws/xkFvZEVcYy4Kn+MdsSop41lThex+hxsT+bVGURwynwWvgp5qZsSmZf33VmMFb
Gtv09gwIR9GMTNI7Mwp+Sce8lQKBgQC6GMmIxxSvGKhvhNWjs1X6AEKvOCxQ9Bjo
El0LqzVbCCbR5gpyKxOhbT2Il4FdOG/KnNJY0ydTTwh4zyX9ne5IBiBHvYevNyU+
lCGctkgx3NQ++K2S3q2Pw13rTVpnJfNI82eJVJV/gi9gLSJdi4pktHpe1n5I3pSz
pu/hTftIZwKBgC5bU6RZYF1d6bXBtV2kj/M/5Ns7k07qAFAYDrLudJvh9lf7Q82X
Suq8rorQ3nGRuQgiyC8GH+hsqD1E/Rwqhqm46WpNZH0w2f4W4YtDteOaR5fMuIj4
bh0a5rQYrxPshmkr1ocaEc0lrtnxCtTgqA28loCNFrXI4jiZULabkOXtAoGALXs7
XgtRuc1r9P1g/UYqIBSKN6qh4hMWNzmttdldC+d9HVV8fhSbEpvRKx3kBvVxFPKo
0f6hINIy/tuZrFc50i51GzNuAtuWZansYRGHqXAQC2fZfAiiIH2d6ZEZJBZ5U/3w
8vZSJzyY+YduW7Br3VrigWUorgSAETwealEVtccCgYA65OeMLdWS34S8WmhceX2I
OOqVEH7d7zB4wFm9JgSrPYEfk5BGu/cdSOiUyqJ2azKIBlQUqcTbg4WIxjLYTSoW
dBvyJcm3mbaSL3/ZSIGlDiArIDNEXNhKbqaEXrCKiy6rO84MWl0oTSQC8TIFdfUV
Pbqs36IjkEQ0EjKmY24MGg==
-----END PRIVATE KEY-----
""",
    "weak": b"""-----BEGIN PRIVATE KEY-----
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMQ+s2ZaF/SP8H3l
VfTye18e1PHakDe/tqwdswo+Qo2KWkOTm2qzALxZ+aUpmZ5RM0ds0CnRBfxQvAUe
Y5GJUDY9y4EY+NDWEcSeT9SJAzqf92qdsLrG8t/ZVpAMp4/CD0UIqqB8vgIa49Rj
XZTLfDTODHibyVvwDeE/IRXjYQ7dAgMBAAECgYAMA3qgDWviAN3MFzoH4MBEtnJ6
y9KAVzAroTXQrrcMSyfzcxnUkli9LxTlU4Kf+oCVIsgrhyxCof6goZee1TUfwUKM
qhVFwEklaKRycX3rzhW7+zX3V4cVgGzXvQvTDB2CPcjKd6l4/jlazZ7vvnOdXOYZ
vs8XbdyUqgAKyP3sUQJBAP+eZ0kBl/fR7+1K+14vR3nr5RHQG4BwEFgA0tqAYQ9C
XMfWGHLxoeDbSCWENSIBkzAhIMTz1OpFpG/Ucs7NYUMCQQDEiaDKe3GvnKDDybE6
HmU86vmeIUnujjr9fAOFIdEIA2CDghMcsIN358/xraQ7QjyC5hHY0pO5NhUVcZiM
vz1fAkEA7Q6QJsqNjsxpP51sJNqf5Nf55l0jRCepYJPS98RbPvWCaemJXv/r6kYy
UGidhd4EDHyMkVq3uFPBvdw+ZL9fVQJBALkkUUUNXr4o1UU69eojAgmN7RHqmAPT
Fnz92y8J+SkMTVn1Kd3n5iEJTdmEUubD8c75vqw7So+6A8iMl0FXUg8CQQDv+PtO
St0m6U6sQwfXscCw3RZlKJFong/yJEGPDst00uxkXmVdPC2Oe+eQnoUDP4CflTdf
Uaj9KE0U5piM/BtW
-----END PRIVATE KEY-----
""",
}

#: Fixed private numbers for the EC test keys.
_EC_KEYS: Final[dict[str, tuple[int, ec.EllipticCurve]]] = {
    "agency_ec": (
        0x1D2C3B4A59687786950A1B2C3D4E5F60718293A4B5C6D7E8F90123456789ABC,
        ec.SECP256R1(),
    ),
    "person_ec": (
        0x2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D,
        ec.SECP384R1(),
    ),
    "ocsp": (0x3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F80912, ec.SECP256R1()),
    "stranger": (0x4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3, ec.SECP256R1()),
}

DEFAULT_BASE_URL: Final = "http://127.0.0.1:9"
PROVINCE: Final = "Ủy ban nhân dân tỉnh Thử Nghiệm"


@functools.cache
def test_key(name: str) -> rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey:
    """One of the fixed test keys: ``root``, ``intermediate``, ``agency``, ``person``, ``weak``
    (RSA-1024), ``agency_ec`` (P-256), ``person_ec`` (P-384), ``ocsp``, ``stranger``."""
    if name in _EC_KEYS:
        value, curve = _EC_KEYS[name]
        return ec.derive_private_key(value, curve)
    key = serialization.load_pem_private_key(_RSA_KEYS[name], password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def _name(
    common_name: str, *, uid: Sequence[str] = (), organisation: str | None = None
) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.USER_ID, value) for value in uid]
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, "Thử Nghiệm"))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    return x509.Name(attributes)


@attrs.frozen(kw_only=True)
class Credential:
    """A key with its certificate and the intermediates above it (not the root)."""

    name: str
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = attrs.field(eq=False, repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    def key_pem(self, password: bytes | None = None) -> bytes:
        """The private key as PKCS#8 PEM, encrypted when ``password`` is given."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    def cert_pem(self) -> bytes:
        """The certificate as PEM."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def chain_pem(self) -> bytes:
        """The intermediates as PEM (empty for the root)."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    def pkcs12(self, password: bytes) -> bytes:
        """Key, certificate and chain as a PKCS#12 file."""
        return pkcs12.serialize_key_and_certificates(
            self.name.encode(),
            self.key,
            self.certificate,
            list(self.chain) or None,
            serialization.BestAvailableEncryption(password),
        )

    def signer(self, *, pss: bool = False) -> KeyFileSigner:
        """A :class:`~egovkit.signatures.signer.KeyFileSigner` for this credential."""
        return KeyFileSigner(self.key, self.certificate, self.chain, pss=pss)


@attrs.frozen(kw_only=True)
class FixturePKI:
    """The whole test hierarchy; build it with :meth:`create` (cached per ``now`` and URL).

    Leaves point at ``{base_url}/ocsp`` (OCSP) and ``{base_url}/crl/<issuer>.crl`` (CRLs); a
    test may serve :meth:`ocsp_answer` and :meth:`crl_der` there.
    """

    now: dt.datetime
    base_url: str
    root: Credential
    intermediate: Credential
    agency: Credential
    person: Credential
    agency_ec: Credential
    person_ec: Credential
    agency_pss: Credential
    expired: Credential
    not_yet_valid: Credential
    revoked: Credential
    weak_rsa: Credential
    no_signing_usage: Credential
    ocsp_responder: Credential
    stranger_root: Credential
    revoked_at: dt.datetime

    @classmethod
    def create(
        cls, *, now: dt.datetime | None = None, base_url: str = DEFAULT_BASE_URL
    ) -> FixturePKI:
        """The PKI valid around ``now`` (default: the start of today, UTC)."""
        if now is None:
            today = dt.datetime.now(dt.UTC).date()
            now = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
        return _create(now.astimezone(dt.UTC), base_url.rstrip("/"))

    # -- trust and revocation ------------------------------------------------------------
    def trust_store(self) -> TrustStore:
        """A store trusting only this PKI's root."""
        return TrustStore(anchors=(self.root.certificate,))

    def crl(
        self,
        issuer: str = "intermediate",
        *,
        revoked: Iterable[tuple[x509.Certificate, dt.datetime]] | None = None,
        this_update: dt.datetime | None = None,
        next_update: dt.datetime | None = None,
        signed_by: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
    ) -> x509.CertificateRevocationList:
        """A CRL of ``issuer`` (``"root"`` or ``"intermediate"``); by default the intermediate's
        lists ``revoked`` and the root's is empty."""
        ca = self.root if issuer == "root" else self.intermediate
        if revoked is None:
            revoked = [] if issuer == "root" else [(self.revoked.certificate, self.revoked_at)]
        return issue_crl(
            ca,
            this_update=this_update or self.now - dt.timedelta(hours=1),
            next_update=next_update or self.now + dt.timedelta(days=7),
            revoked=revoked,
            signed_by=signed_by,
        )

    def crl_der(self, issuer: str = "intermediate") -> bytes:
        """The default CRL of ``issuer`` as DER (what a CRL URL serves)."""
        return self.crl(issuer).public_bytes(serialization.Encoding.DER)

    def revocation(self) -> RevocationSources:
        """Offline revocation sources: the root's and the intermediate's CRLs."""
        return RevocationSources(crls=(self.crl("root"), self.crl("intermediate")))

    def credentials(self) -> tuple[Credential, ...]:
        """Every credential of the PKI."""
        return tuple(
            v for v in attrs.asdict(self, recurse=False).values() if isinstance(v, Credential)
        )

    def ocsp_response(
        self,
        certificate: x509.Certificate,
        *,
        status: str | None = None,
        responder: str = "issuer",
        this_update: dt.datetime | None = None,
        next_update: dt.datetime | None = None,
    ) -> bytes:
        """A DER OCSP response about ``certificate``.

        ``status`` is ``good``, ``revoked`` or ``unknown`` (default: what the CRL says);
        ``responder`` is ``issuer``, ``delegated`` (``ocsp_responder``) or ``stranger`` (a
        key nobody trusts).
        """
        issuer = self.root if certificate == self.intermediate.certificate else self.intermediate
        if status is None:
            status = "revoked" if certificate == self.revoked.certificate else "good"
        cert_status = {
            "good": ocsp.OCSPCertStatus.GOOD,
            "revoked": ocsp.OCSPCertStatus.REVOKED,
            "unknown": ocsp.OCSPCertStatus.UNKNOWN,
        }[status]
        builder = ocsp.OCSPResponseBuilder().add_response(
            cert=certificate,
            issuer=issuer.certificate,
            algorithm=hashes.SHA1(),  # noqa: S303 - CertID hash, as real responders use
            cert_status=cert_status,
            this_update=this_update or self.now - dt.timedelta(minutes=10),
            next_update=next_update or self.now + dt.timedelta(days=1),
            revocation_time=self.revoked_at if cert_status is ocsp.OCSPCertStatus.REVOKED else None,
            revocation_reason=(
                x509.ReasonFlags.key_compromise
                if cert_status is ocsp.OCSPCertStatus.REVOKED
                else None
            ),
        )
        if responder == "delegated":
            builder = builder.responder_id(
                ocsp.OCSPResponderEncoding.HASH, self.ocsp_responder.certificate
            ).certificates([self.ocsp_responder.certificate])
            key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = self.ocsp_responder.key
        elif responder == "stranger":
            builder = builder.responder_id(
                ocsp.OCSPResponderEncoding.NAME, self.stranger_root.certificate
            )
            key = self.stranger_root.key
        else:
            builder = builder.responder_id(ocsp.OCSPResponderEncoding.NAME, issuer.certificate)
            key = issuer.key
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def http_answer(self, path: str, body: bytes) -> bytes:
        """What this PKI's servers answer at ``path`` (``/ocsp`` with a request body, or
        ``/crl/root.crl`` and ``/crl/intermediate.crl``): for a test HTTP server or transport."""
        if path == "/ocsp":
            return self.ocsp_answer(body)
        return self.crl_der("root" if path == "/crl/root.crl" else "intermediate")

    def ocsp_answer(self, request_der: bytes) -> bytes:
        """Answer a DER OCSP request as this PKI's responder would (for a test HTTP server)."""
        request = ocsp.load_der_ocsp_request(request_der)
        for credential in self.credentials():
            if credential.certificate.serial_number == request.serial_number:
                return self.ocsp_response(credential.certificate)
        return ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.UNAUTHORIZED
        ).public_bytes(serialization.Encoding.DER)


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


@functools.cache
def _create(now: dt.datetime, base_url: str) -> FixturePKI:
    day = dt.timedelta(days=1)
    root_key = test_key("root")
    root_name = _name(
        "RootCA chuyên dùng Chính phủ G2 (THỬ NGHIỆM)",
        organisation="Ban Cơ yếu Chính phủ (THỬ NGHIỆM)",
    )
    ca_usage = _CA_USAGE
    root_cert = (
        _builder(root_name, root_name, root_key, 1, now - 3650 * day, now + 7300 * day)
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(ca_usage, critical=True)
        .sign(root_key, hashes.SHA256())
    )
    root = Credential(name="root", key=root_key, certificate=root_cert)

    inter_key = test_key("intermediate")
    inter_name = _name(
        "CA phục vụ các cơ quan Nhà nước G2 (THỬ NGHIỆM)",
        organisation="Ban Cơ yếu Chính phủ (THỬ NGHIỆM)",
    )
    inter_cert = (
        _builder(inter_name, root_name, inter_key, 2, now - 1825 * day, now + 3650 * day)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(ca_usage, critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .add_extension(_crl_points(f"{base_url}/crl/root.crl"), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    intermediate = Credential(name="intermediate", key=inter_key, certificate=inter_cert, chain=())

    def leaf(
        name: str,
        key_name: str,
        serial: int,
        subject: x509.Name,
        *,
        not_before: dt.datetime = now - 30 * day,
        not_after: dt.datetime = now + 730 * day,
        signing: bool = True,
    ) -> Credential:
        key = test_key(key_name)
        usage = x509.KeyUsage(
            digital_signature=signing,
            content_commitment=signing,
            key_encipherment=not signing,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=False,
            crl_sign=False,
            encipher_only=False,
            decipher_only=False,
        )
        certificate = (
            _builder(subject, inter_name, key, serial, not_before, not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(inter_key.public_key()),
                critical=False,
            )
            .add_extension(_crl_points(f"{base_url}/crl/intermediate.crl"), critical=False)
            .add_extension(
                x509.AuthorityInformationAccess(
                    [
                        x509.AccessDescription(
                            x509.oid.AuthorityInformationAccessOID.OCSP,
                            x509.UniformResourceIdentifier(f"{base_url}/ocsp"),
                        )
                    ]
                ),
                critical=False,
            )
            .sign(inter_key, hashes.SHA256())
        )
        return Credential(name=name, key=key, certificate=certificate, chain=(inter_cert,))

    agency_name = _name(PROVINCE, uid=["MNS:1234567"], organisation=PROVINCE)
    person_name = _name("Nguyễn Văn An", uid=["CCCD:001099000123"], organisation=PROVINCE)
    ocsp_key = test_key("ocsp")
    ocsp_cert = (
        _builder(
            _name("OCSP Responder (THỬ NGHIỆM)", organisation="Ban Cơ yếu Chính phủ (THỬ NGHIỆM)"),
            inter_name,
            ocsp_key,
            0x2001,
            now - 30 * day,
            now + 365 * day,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        .add_extension(x509.OCSPNoCheck(), critical=False)
        .sign(inter_key, hashes.SHA256())
    )
    stranger_key = test_key("stranger")
    stranger_name = _name("Kẻ lạ (THỬ NGHIỆM)")
    stranger = (
        _builder(
            stranger_name, stranger_name, stranger_key, 0x3001, now - 30 * day, now + 365 * day
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(stranger_key, hashes.SHA256())
    )
    return FixturePKI(
        now=now,
        base_url=base_url,
        root=root,
        intermediate=intermediate,
        agency=leaf("agency", "agency", 0x1001, agency_name),
        person=leaf("person", "person", 0x1002, person_name),
        agency_ec=leaf("agency_ec", "agency_ec", 0x1003, agency_name),
        person_ec=leaf("person_ec", "person_ec", 0x1004, person_name),
        agency_pss=leaf("agency_pss", "agency", 0x1005, agency_name),
        expired=leaf(
            "expired",
            "agency",
            0x1006,
            agency_name,
            not_before=now - 760 * day,
            not_after=now - day,
        ),
        not_yet_valid=leaf(
            "not_yet_valid", "agency", 0x1007, agency_name, not_before=now + 10 * day
        ),
        revoked=leaf("revoked", "person", 0x1008, person_name),
        weak_rsa=leaf("weak_rsa", "weak", 0x1009, agency_name),
        no_signing_usage=leaf("no_signing_usage", "agency", 0x100A, agency_name, signing=False),
        ocsp_responder=Credential(
            name="ocsp_responder", key=ocsp_key, certificate=ocsp_cert, chain=(inter_cert,)
        ),
        stranger_root=Credential(name="stranger_root", key=stranger_key, certificate=stranger),
        revoked_at=now - 2 * day,
    )


def _crl_points(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def derived_key(number: int) -> ec.EllipticCurvePrivateKey:
    """A P-256 key derived from ``number``: fast to make, PUBLIC (anyone can derive it)."""
    return ec.derive_private_key(1_000_003 + number, ec.SECP256R1())


def issue_certificate(
    subject: x509.Name,
    *,
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
    issuer: Credential | None = None,
    issuer_name: x509.Name | None = None,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = True,
    path_length: int | None = None,
    crl_url: str | None = None,
) -> Credential:
    """A certificate for ``key`` signed by ``issuer`` (self-signed when ``None``).

    ``issuer_name`` overrides the issuer name written in the certificate (by default the
    issuer's subject, byte for byte): chains whose names differ only in encoding or case are
    made this way. For tests that need hierarchies :class:`FixturePKI` does not have.
    """
    signing_key = issuer.key if issuer is not None else key
    written_issuer = issuer_name or (issuer.certificate.subject if issuer else subject)
    builder = _builder(subject, written_issuer, key, serial, not_before, not_after)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
        critical=False,
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=path_length), critical=True
        ).add_extension(_CA_USAGE, critical=True)
    else:
        builder = builder.add_extension(_SIGNING_USAGE, critical=True)
    if crl_url:
        builder = builder.add_extension(_crl_points(crl_url), critical=False)
    certificate = builder.sign(signing_key, hashes.SHA256())
    chain = (issuer.certificate, *issuer.chain) if issuer is not None else ()
    return Credential(
        name=subject.rfc4514_string(), key=key, certificate=certificate, chain=chain[:-1]
    )


def issue_crl(
    issuer: Credential,
    *,
    this_update: dt.datetime,
    next_update: dt.datetime,
    revoked: Iterable[tuple[x509.Certificate, dt.datetime]] = (),
    signed_by: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = None,
) -> x509.CertificateRevocationList:
    """A complete CRL of ``issuer`` listing ``revoked`` (certificate, revocation time, reason
    keyCompromise); ``signed_by`` signs it with another key (a forged CRL)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for certificate, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(certificate.serial_number)
            .revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(signed_by or issuer.key, hashes.SHA256())


def cross_signed_pool(
    *, count: int = 30, per_ca: int = 3, now: dt.datetime
) -> tuple[Credential, tuple[x509.Certificate, ...]]:
    """A denial-of-service shape (issue 14): ``count`` CAs, each certified by ``per_ca`` of the
    others, none reaching a trust anchor. Returns the first CA (to issue a leaf with) and the
    pool of cross-certificates a message would carry in its KeyInfo."""
    names = [
        x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.COMMON_NAME, f"CA liên thông số {i}"),
            ]
        )
        for i in range(count)
    ]
    start, end = now - dt.timedelta(days=365), now + dt.timedelta(days=3650)
    bare = [
        issue_certificate(
            names[i], key=derived_key(100 + i), serial=100 + i, not_before=start, not_after=end
        )
        for i in range(count)
    ]
    pool = tuple(
        issue_certificate(
            names[i],
            key=derived_key(100 + i),
            issuer=bare[(i + k) % count],
            serial=10_000 + i * per_ca + k,
            not_before=start,
            not_after=end,
        ).certificate
        for i in range(count)
        for k in range(1, per_ca + 1)
    )
    return bare[0], pool


_CA_USAGE: Final = x509.KeyUsage(
    digital_signature=True,
    content_commitment=False,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=True,
    crl_sign=True,
    encipher_only=False,
    decipher_only=False,
)
_SIGNING_USAGE: Final = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


__all__ = [
    "Credential",
    "FixturePKI",
    "cross_signed_pool",
    "derived_key",
    "issue_certificate",
    "issue_crl",
    "test_key",
]
