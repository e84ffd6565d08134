import pytest

from apps.ingest.reading import MAX_DOCUMENT_BYTES, DocumentError, read_document

TEXT = "今年新建5G基站7000个，\r\n地区生产总值增长5.5%以上。"


def test_utf8_is_decoded_as_written(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    assert read_document(path) == TEXT  # newlines kept: offsets must match the file


def test_utf8_byte_order_mark_is_stripped(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert read_document(path) == TEXT


def test_gb18030_file_decodes(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT.encode("gb18030"))
    assert read_document(path) == TEXT


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 31)) * 20, "binary"),
        (b"\x81\x30\x81", "cannot be decoded"),
    ],
    ids=["empty", "whitespace", "png", "control-characters", "undecodable"],
)
def test_non_documents_are_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message) as raised:
        read_document(path)
    assert "bad.txt" in str(raised.value)


def test_too_large_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes("目标".encode() * (MAX_DOCUMENT_BYTES // 6 + 10))
    with pytest.raises(DocumentError, match="larger than 5 MB"):
        read_document(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(DocumentError, match="does not exist"):
        read_document(tmp_path / "nowhere.txt")
