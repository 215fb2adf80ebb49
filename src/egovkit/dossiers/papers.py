"""Decree 45/2020/NĐ-CP data on a dossier's papers and results: digitised, reused, taken from
a national database or the holder's data store, issued electronically.

Decree 45/2020 (thủ tục hành chính trên môi trường điện tử) has the desk digitise the papers of a
dossier (số hóa thành phần hồ sơ), lets a dossier reuse digitised data of an earlier one (tái sử
dụng) or take a paper from a national database or the data store of the person or organisation
on the national portal (kho quản lý dữ liệu điện tử của tổ chức, cá nhân), and has results issued
electronically (kết quả giải quyết TTHC điện tử) and kept in that data store. The national portal
receives these as flags of each submitted paper (``TaiLieuNop[]``: ``DuocSoHoa``,
``DuocTaiSuDung``, ``DuocLayTuKhoDMQG``, ``MaThanhPhanHoSo``, ``MaKetQuaThayThe``) and of each
result (``DanhSachGiayToKetQua[]``: ``MaGiayToKetQua``, ``DuongDanTepTinKetQua``), and Decision
766 group 4 (Số hóa hồ sơ) counts them (4.3 reuse, 4.4 data store). Sources: the portal sync of
github.com/HuanVu201/DichVuCong_KhoaLuan_PASETO (``SyncLocalDataToDVCQGService.cs``) and the 766
formula cards (wire-fidelity.md §3.2, §6.1).

A plain :class:`~egovkit.documents.model.Attachment` on a dossier is a paper with the default
flags (:func:`paper_of`): filed as a file, digitised (the portal's reading: "số hóa hồ sơ = có
file đính kèm trong thành phần hồ sơ"), not reused.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from egovkit.documents.model import Attachment
from egovkit.errors import ValidationError
from egovkit.text import clean


class Reuse(enum.Enum):
    """Where a paper's data came from instead of the applicant (tái sử dụng dữ liệu số hóa)."""

    NONE = "none"  # filed by the applicant
    EARLIER_DOSSIER = "earlier_dossier"  # digitised data of an earlier dossier (kho số hóa)
    NATIONAL_DATABASE = "national_database"  # a national database or the holder's data store


@attrs.frozen(kw_only=True)
class DossierAttachment(Attachment):
    """A paper of a dossier (thành phần hồ sơ) as a file, with its Decree 45 flags.

    ``component_code`` is the national code of the paper in the procedure (MAGIAYTO of the
    national procedure database; ``MaThanhPhanHoSo``); ``digitised`` whether the file is the
    digitised form of the paper (số hóa); ``reuse`` where its data came from;
    ``replaces_result`` the national code of an earlier result that stands in for the paper
    (``MaKetQuaThayThe``), which implies reuse.
    """

    component_code: str = attrs.field(default="", converter=clean)
    digitised: bool = True
    reuse: Reuse = Reuse.NONE
    replaces_result: str = attrs.field(default="", converter=clean)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.replaces_result and self.reuse is Reuse.NONE:
            raise ValidationError(
                "a paper replaced by an earlier result is reused: give its reuse source",
                code="dossier.paper.reuse",
                where="reuse",
            )

    @property
    def reused(self) -> bool:
        """Whether the paper reuses data rather than a new filing (4.3 of Decision 766)."""
        return self.reuse is not Reuse.NONE

    @property
    def from_national_database(self) -> bool:
        """Taken from a national database or the data store (``DuocLayTuKhoDMQG``, 4.4)."""
        return self.reuse is Reuse.NATIONAL_DATABASE


def paper_of(attachment: Attachment) -> DossierAttachment:
    """``attachment`` with its Decree 45 flags (a plain attachment gets the defaults)."""
    if isinstance(attachment, DossierAttachment):
        return attachment
    return DossierAttachment(
        name=attachment.name,
        media_type=attachment.media_type,
        size=attachment.size,
        sha256=attachment.sha256,
    )


def records_papers(attachments: Iterable[Attachment]) -> bool:
    """Whether any of ``attachments`` carries Decree 45 flags (not only a file)."""
    return any(isinstance(a, DossierAttachment) for a in attachments)


__all__ = ["DossierAttachment", "Reuse", "paper_of", "records_papers"]
