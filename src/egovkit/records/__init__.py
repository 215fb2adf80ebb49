"""Records and archives (Decree 30/2020 Chapter IV and Appendix VI; Circular 02/2019/TT-BNV):
case files (hồ sơ công việc), the yearly file list (danh mục hồ sơ), retention (thời hạn bảo
quản), transfer to the agency archive (nộp lưu) and disposal (tiêu hủy).

>>> import datetime as dt
>>> from egovkit.records import Retention, TransferRules
>>> rules = TransferRules.default()
>>> rules.transfer_due(retention=Retention.of_years(10), end=dt.date(2026, 6, 30))
datetime.date(2027, 6, 30)
>>> rules.transfer_due(retention=Retention.of_years(2), end=dt.date(2026, 6, 30)) is None
True
"""

from egovkit.records.casefile import (
    CaseFile,
    DocumentRef,
    FiledDocument,
    FileState,
    SourceKind,
    contents_digest,
)
from egovkit.records.codes import FileCode
from egovkit.records.disposal import DisposalDecision, Tombstone, check_disposal
from egovkit.records.filelist import FileList, FileListEntry
from egovkit.records.filing import entry_ref, file_document, file_entry, filed_document
from egovkit.records.metadata import MetadataField, MetadataStandard, default_standard
from egovkit.records.package import (
    PackageLimits,
    TransferPackage,
    read_package,
    write_package,
)
from egovkit.records.ports import CaseFileQuery, CaseFileRepository, StoredCaseFile
from egovkit.records.retention import (
    PERMANENT,
    Retention,
    RetentionSchedule,
    ScheduleItem,
    TransferRules,
    schedule_in_force,
)
from egovkit.records.serialization import case_file_from_dict, case_file_to_dict
from egovkit.records.transfer import (
    IndexRow,
    Notice,
    TransferRow,
    document_index,
    notices_due,
    transfer_list,
)

__all__ = [
    "PERMANENT",
    "CaseFile",
    "CaseFileQuery",
    "CaseFileRepository",
    "DisposalDecision",
    "DocumentRef",
    "FileCode",
    "FileList",
    "FileListEntry",
    "FileState",
    "FiledDocument",
    "IndexRow",
    "MetadataField",
    "MetadataStandard",
    "Notice",
    "PackageLimits",
    "Retention",
    "RetentionSchedule",
    "ScheduleItem",
    "SourceKind",
    "StoredCaseFile",
    "Tombstone",
    "TransferPackage",
    "TransferRow",
    "TransferRules",
    "case_file_from_dict",
    "case_file_to_dict",
    "check_disposal",
    "contents_digest",
    "default_standard",
    "document_index",
    "entry_ref",
    "file_document",
    "file_entry",
    "filed_document",
    "notices_due",
    "read_package",
    "schedule_in_force",
    "transfer_list",
    "write_package",
]
