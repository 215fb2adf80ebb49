"""What a procedure offers online (khả năng cung cấp trực tuyến): the facts levels are computed
from, so a level is never typed in by hand and can always be explained."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from egovkit.errors import ParseError
from egovkit.text import fold


class Capability(enum.Enum):
    """One thing a procedure offers on a public-service portal."""

    INFORMATION = "information"  # thông tin đầy đủ về thủ tục và hồ sơ
    DOWNLOADABLE_FORMS = "downloadable_forms"  # tải mẫu đơn, tờ khai
    ONLINE_SUBMISSION = "online_submission"  # nộp hồ sơ trực tuyến
    ONLINE_PROCESSING = "online_processing"  # giải quyết (xử lý) trực tuyến
    ONLINE_PAYMENT = "online_payment"  # thanh toán phí, lệ phí trực tuyến
    ONLINE_RESULT = "online_result"  # trả kết quả trực tuyến (bản điện tử)
    POSTAL_RESULT = "postal_result"  # trả kết quả qua dịch vụ bưu chính công ích

    @classmethod
    def parse(cls, text: str) -> Capability:
        """The capability named ``text`` (its value, case and spacing ignored)."""
        wanted = fold(text).replace(" ", "_").replace("-", "_")
        for capability in cls:
            if capability.value == wanted:
                return capability
        names = ", ".join(c.value for c in cls)
        raise ParseError(
            f"{text!r} is not a capability (one of {names})",
            code="services.capability",
            where="capabilities",
        )


def capability_set(values: Iterable[Capability | str]) -> frozenset[Capability]:
    """A set of capabilities from members or their names."""
    return frozenset(v if isinstance(v, Capability) else Capability.parse(v) for v in values)


__all__ = ["Capability", "capability_set"]
