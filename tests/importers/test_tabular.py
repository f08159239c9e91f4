"""Table files are read by what their bytes are, not by their names: VAN's UTF-16 '.xls', BOMs, Latin-1,
semicolons, ZIPs. The shapes follow what the field's tools export: VAN "Export" reports (tab-separated
UTF-16 text named .xls, often zipped), Excel's "CSV UTF-8" (a BOM), older Excel's Windows-1252 CSV, and
European spreadsheets' semicolon CSV."""
from __future__ import annotations

import zipfile

import pytest

from fieldops.errors import InvalidInput
from fieldops.importers.tabular import read_head, read_table, sniff

VAN_ROWS = ("Voter File VANID\tLastName\tFirstName\tvAddress\tZip5\n"
            "100234\tNiemi\tÄnne\t123 Main St Apt 4\t02139\n"
            "100235\tO'Brien\tSeán\t125 Main St\t02139\n")


def test_a_van_xls_that_is_utf16_tab_text_is_read(tmp_path):
    path = tmp_path / "Export 2026-11-30.xls"
    path.write_bytes(VAN_ROWS.encode("utf-16"))  # with its BOM, as VAN writes it
    frame, table_format, name = read_table(path)
    assert table_format.encoding == "utf-16" and table_format.separator == "\t"
    assert list(frame.columns) == ["Voter File VANID", "LastName", "FirstName", "vAddress", "Zip5"]
    assert frame.loc[0, "FirstName"] == "Änne" and frame.loc[1, "Zip5"] == "02139"  # leading zero kept


def test_utf16_without_a_bom_is_recognised(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(VAN_ROWS.encode("utf-16-le"))
    frame, table_format, _ = read_table(path)
    assert table_format.encoding == "utf-16-le" and frame.loc[1, "FirstName"] == "Seán"


def test_a_zip_of_one_report_is_read_through(tmp_path):
    path = tmp_path / "van.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Export.xls", VAN_ROWS.encode("utf-16"))
    frame, _, name = read_table(path)
    assert name == "van.zip/Export.xls" and len(frame) == 2


def test_a_zip_of_several_tables_names_them(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("north.csv", "id,street\n1,a\n")
        archive.writestr("south.csv", "id,street\n2,b\n")
    with pytest.raises(InvalidInput, match="north.csv, south.csv"):
        read_table(path)
    frame, _, name = read_table(path, member="south.csv")
    assert frame.loc[0, "id"] == "2" and name == "two.zip/south.csv"


def test_excel_csv_utf8_with_a_bom_and_semicolons(tmp_path):
    path = tmp_path / "lista.csv"
    path.write_bytes("\ufeffid;katu;numero;lat;lon\n1;Mannerheimintie;14;60,1699;24,9384\n".encode("utf-8"))
    frame, table_format, _ = read_table(path)
    assert (table_format.encoding, table_format.separator) == ("utf-8-sig", ";")
    assert list(frame.columns) == ["id", "katu", "numero", "lat", "lon"] and frame.loc[0, "lat"] == "60,1699"


def test_latin1_is_read_with_a_warning_that_names_the_line(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("id,first_name\n1,Anne\n2,Jos\xe9\n".encode("cp1252"))
    frame, table_format, _ = read_table(path)
    assert frame.loc[1, "first_name"] == "José" and table_format.encoding == "cp1252"
    assert "line 3" in table_format.warnings[0] and "Windows-1252" in table_format.warnings[0]


def test_a_utf8_file_with_rows_pasted_from_a_latin1_one_keeps_both_halves_right(tmp_path):
    """Line 2 is UTF-8, line 3 came from an old Latin-1 export: each is read as it was written."""
    path = tmp_path / "joined.csv"
    path.write_bytes("id,last_name\n1,Järvinen\n".encode("utf-8") + "2,Äijälä\n".encode("cp1252"))
    frame, table_format, _ = read_table(path)
    assert frame["last_name"].tolist() == ["Järvinen", "Äijälä"]
    assert table_format.encoding == "utf-8" and "line 3" in table_format.warnings[0]
    assert "the rest as UTF-8" in table_format.warnings[0]


@pytest.mark.parametrize("data, words", [
    (b"", "is empty: it has no header and no rows"),
    (b"\xef\xbb\xbf\r\n", "is empty: it has no header and no rows"),
    (bytes(range(256)) * 40, "is not a text table"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" * 50, "is not a text table"),
    (b"id,street\n1,Main St\n2,Oak St,Apt 4,extra\n", "line 3 has 4 cells where the header has 2"),
])
def test_what_is_no_table_is_refused_in_plain_words(tmp_path, data, words):
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match=words) as caught:
        read_table(path)
    assert caught.value.message.startswith("file upload.csv")
    assert "tokeniz" not in caught.value.message and "C error" not in caught.value.message


def test_a_real_workbook_is_refused_with_advice(tmp_path):
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InvalidInput, match="save it as CSV"):
        read_table(path)
    legacy = tmp_path / "legacy.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InvalidInput, match="Excel workbook"):
        read_table(legacy)


def test_a_preview_cut_inside_a_quoted_address_reads_its_whole_records():
    """Addresses with a line break inside quotes: the mapping step's first megabyte may end inside one."""
    body = "".join(f'{n},"{n} Main St\nApt 2"\n' for n in range(400))
    data = ("id,address\n" + body).encode()
    for cut in (len(data) // 3, len(data) // 3 + 7, len(data)):
        frame, _format = read_head(data[:cut], "voters.csv", rows=500, whole=cut == len(data))
        assert frame.columns.tolist() == ["id", "address"] and frame["address"].iloc[-1].endswith("\nApt 2")
        assert frame["id"].tolist() == [str(n) for n in range(len(frame))]
    frame, _format = read_head(data, "voters.csv", rows=5, whole=True)
    assert len(frame) == 5


def test_a_utf8_character_cut_by_the_end_of_a_sample_is_still_utf8():
    data = "id,last_name\n1,Järvinen\n2,Äijälä\n".encode()
    cut = data[:data.index("ä".encode()) + 1]  # half of the "ä" of Äijälä
    table_format = sniff(cut, "big.csv")
    assert table_format.encoding == "utf-8" and table_format.warnings == []


def test_a_latin1_file_with_one_pair_that_looks_like_utf8_stays_latin1(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("id,name\n1,JOSÉ\xa0X\n2,Müller\n".encode("cp1252"))
    frame, table_format, _ = read_table(path)
    assert table_format.encoding == "cp1252" and frame["name"].tolist() == ["JOSÉ\xa0X", "Müller"]


@pytest.mark.parametrize("data", [
    b"id,note\n1,first line\x0bsecond line\n2,ok\x0bok\n",   # FileMaker: a line break inside a cell
    b"id,street\n1,Main St\n\x1a",                           # an old DOS file's end
])
def test_text_with_its_own_control_characters_is_read(tmp_path, data):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    frame, _format, _ = read_table(path)
    assert frame["id"].iloc[0] == "1"
