"""edXML wire names (QCVN 102:2016), shared by the reader, the writer and the schema only.

Each table pairs an element name with the model attribute it fills, in the order the writer
emits them (the order of the reference; readers accept any order).
"""

from __future__ import annotations

from typing import Final

NS: Final = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
BKAV_NS: Final = "http://www.e-doc.vn/Schema/"
DSIG_NS: Final = "http://www.w3.org/2000/09/xmldsig#"
XINCLUDE_NS: Final = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
PREFIX: Final = "edXML"

ORGANIZATION: Final = (
    ("OrganizationInCharge", "in_charge"),
    ("OrganName", "name"),
    ("OrganAdd", "address"),
    ("Email", "email"),
    ("Telephone", "telephone"),
    ("Fax", "fax"),
    ("Website", "website"),
)
CODE: Final = (("CodeNumber", "number"), ("CodeNotation", "notation"))
DOCUMENT_TYPE: Final = (("Type", "type_code"), ("TypeDetail", "detail"), ("TypeName", "name"))
SIGNER: Final = (("Competence", "competence"), ("Position", "position"), ("FullName", "full_name"))
STAFF: Final = (
    ("Department", "department"),
    ("Staff", "staff"),
    ("Email", "email"),
    ("Mobile", "mobile"),
)
MANIFEST_REFERENCE: Final = (
    ("ContentId", "content_id"),
    ("ContentType", "content_type"),
    ("Description", "description"),
    ("AttachmentName", "attachment_name"),
)
ATTACHMENT: Final = (
    ("ContentId", "content_id"),
    ("AttachmentName", "name"),
    ("Description", "description"),
    ("ContentType", "content_type"),
)
PAYLOAD: Final = "ContentTransferEncoded"
