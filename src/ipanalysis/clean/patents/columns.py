"""The canonical patent table's columns and the vocabularies the cleaning steps share."""

from __future__ import annotations

import pandas as pd

from ipanalysis.schemas import PATENT_COLUMNS, PATENT_DATE_COLUMNS, PATENT_LEGAL_STATUSES

#: The column in which the cleaning steps note each cell's problems ("column: reason").
ISSUES = "issues"


#: The small status vocabulary :func:`map_legal_status` maps legal-status texts to: in_force (a
#: right exists), pending (an application without a right yet), lapsed (ended before its term:
#: annual fee not paid, terminated), expired (ended at the end of its term), withdrawn (or deemed
#: withdrawn), rejected, abandoned (given up, incl. to avoid double patenting), invalidated
#: (wholly), not_in_force (no right, reason not given: 无权, 失效), unknown (a text the table lacks).
LEGAL_STATUSES: tuple[str, ...] = PATENT_LEGAL_STATUSES


#: Statuses meaning that a right which existed has ended.
ENDED_STATUSES: tuple[str, ...] = ("lapsed", "expired", "abandoned", "invalidated", "not_in_force")


#: Columns of the canonical table beyond :data:`ipanalysis.schemas.PATENT_COLUMNS`, with meanings.
EXTRA_COLUMNS: dict[str, str] = {
    "application_key": "the record's key for joins and duplicates: the application number without "
    "its check digit (CN202223220665), or, where the export gives none, the publication number "
    "(CN116245100A)",
    "filing_year": "year of filing (from the filing date, or 申请年 where an export gives only the year)",
    "grant_known": "whether the export tells if and when the patent was granted (False for a list "
    "of applications without grant dates: stocks and high-value are undecidable for the row)",
    "office": "the office the record is from: CN for CNIPA, else the foreign office (US, EP …)",
    "applicant_count": "number of applicants listed",
    "province_code": "province of the first-named applicant (GB/T 2260 code in force), if known",
    "prefecture_code": "prefecture-level city of the first-named applicant, if known",
    "county_code": "county-level unit of the first-named applicant, if known",
    "address_code": "the unit the address names as written (a historical code stays historical)",
    "legal_status": "legal status in the vocabulary LEGAL_STATUSES, missing when the export gives none",
    "legal_status_text": "the export's legal-status text (法律状态 / 最新法律状态 / 专利权状态)",
    "publication_number": "publication number (公开号), e.g. CN116245100A",
    "publication_date": "publication date (公开日)",
    "grant_number": "grant publication number (授权公告号)",
    "title": "title (专利名称 / 名称)",
    "applicants": "every applicant, in the exported order, ';'-joined (separators ; ； | unified); "
    "the region follows the first-named (as CNIPA's regional statistics do)",
    "inventors": "inventors, ';'-separated, as exported",
    "applicant_type": "applicant type as exported (科研机构, 企业, …)",
    "address": "the patentee's address the region was read from",
    "province_text": "国省代码 as exported, e.g. 河南(41)",
    "country": "CN for mainland China, HK / MO / TW, or the foreign country code",
    "pct_national_phase": "a PCT application in the Chinese national phase (type digit 8 or 9)",
    "family_members": "family publication numbers as exported",
    "family_size": "simple family size as exported (the patent itself included)",
    "overseas_members": "family members published outside China (not CN, not WO)",
    "transfer_count": "number of ownership transfers (专利转移次数)",
    "licence_count": "number of licences (许可次数)",
    "pledge_count": "number of pledges (质押次数)",
    "pledge_date": "date of the latest pledge (质押日期)",
    "invalidation_date": "date of the invalidation decision (无效宣告日期)",
    "strategic_emerging_class": "strategic emerging industry class as exported",
    "legal_events": "legal event history as exported (法律事件 / 法律状态)",
    "source_file": "the file the row was read from",
    "raw_row": "row of the file as a spreadsheet program shows it (the header row counted)",
}


#: Columns of the canonical patent table: the schema's, then the extra ones kept as exported.
CANONICAL_COLUMNS: tuple[str, ...] = (*PATENT_COLUMNS, *EXTRA_COLUMNS)


#: Every column id the alias table may map a header to: the canonical columns, and the source
#: columns the normalising steps read (``ipc_main``, ``right_status_text``, …).
SOURCE_COLUMNS: frozenset[str] = frozenset(
    {
        *CANONICAL_COLUMNS,
        "ipc_main",
        "right_status_text",
        "first_patentee",
        "patentee_address",
        "combined_date",
        "status_date",
        "address_province",
        "address_city",
        "address_county",
    }
)


#: Columns read as dates.
DATE_COLUMNS: tuple[str, ...] = PATENT_DATE_COLUMNS


#: Columns read as non-negative whole numbers.
COUNT_COLUMNS: tuple[str, ...] = ("transfer_count", "licence_count", "pledge_count", "family_size")


#: Columns that key a record: a file needs one of them (under any alias).
KEY_COLUMNS: tuple[str, ...] = ("application_number", "publication_number")
#: Kept for callers: the columns a file needs one of (see :data:`KEY_COLUMNS`).
REQUIRED_COLUMNS: tuple[str, ...] = KEY_COLUMNS


#: Columns where a cell may list several dates (one per pledge); the latest is kept.
LIST_DATE_COLUMNS: tuple[str, ...] = ("pledge_date",)


#: Publication kind codes (WIPO ST.16 as each office applies it) that publish a granted right.
#: Deliberately short: a member whose kind is not listed counts as "not shown to be granted".
GRANT_KINDS: frozenset[tuple[str, str]] = frozenset(
    {
        ("US", "B1"),
        ("US", "B2"),
        ("US", "E"),
        ("US", "S"),
        ("EP", "B1"),
        ("EP", "B2"),
        ("EP", "B3"),
        ("JP", "B1"),
        ("JP", "B2"),
        ("KR", "B1"),
        ("DE", "B3"),
        ("DE", "B4"),
        ("DE", "C1"),
        ("DE", "C2"),
        ("GB", "B"),
        ("FR", "B1"),
        ("CA", "C"),
        ("RU", "C1"),
        ("RU", "C2"),
        ("AU", "B2"),
        ("TW", "B"),
        ("TW", "I"),
    }
)


#: Chinese publication kinds that publish a grant: B, C invention; U, Y utility model; S, D design.
CN_GRANT_KINDS: frozenset[str] = frozenset("BCUYSD")


#: The day China's Patent Law took effect: an earlier date is an error in the export.
PATENT_SYSTEM_START = pd.Timestamp("1985-04-01")
