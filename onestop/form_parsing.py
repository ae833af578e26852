"""Reading a multipart/form-data body (an upload) with the `multipart` library (the parser behind Bottle) instead of
werkzeug's own: the same fields and files, each file kept in memory (a request is bounded by MAX_CONTENT_LENGTH,
and a paper is checked, hashed and stored from memory anyway).

Why: werkzeug's decoder scans the body with a regular expression and copies its buffer on every 64 KB chunk; three
papers of 1 MB took it about 2.5 ms, the `multipart` library's push parser 0.2 ms (issue 16's upload benchmark).

Kept as werkzeug keeps them: a part with a `filename` is a file (FileStorage with the part's headers), any other a
field decoded as werkzeug decodes it (UTF-8 unless the part names ASCII or Latin-1, undecodable bytes as U+FFFD); a
field longer than MAX_FORM_MEMORY_SIZE or more parts than MAX_FORM_PARTS answers 413; a body that is not multipart
(no boundary, cut short, malformed) is read as an empty form, as werkzeug does (FormDataParser.silent).
"""
import io

import multipart
from werkzeug.datastructures import FileStorage, Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

CHUNK = 256 * 1024
FIELD_CHARSETS = {"ascii", "us-ascii", "utf-8", "iso-8859-1"}  # werkzeug's get_part_charset: any other is UTF-8


class MultipartFormDataParser(FormDataParser):
    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "")
        if not boundary:
            raise ValueError("Missing boundary")
        fields, files = [], []
        try:
            parser = multipart.PushMultipartParser(
                boundary, content_length=content_length if content_length is not None else -1,
                max_segment_count=self.max_form_parts if self.max_form_parts is not None else float("inf"))
            with parser:
                segment, chunks, size = None, [], 0
                while not parser.closed:
                    for event in parser.parse(stream.read(CHUNK)):
                        if isinstance(event, multipart.MultipartSegment):
                            segment, chunks, size = event, [], 0
                        elif event:
                            size += len(event)
                            if segment.filename is None and self.max_form_memory_size is not None \
                                    and size > self.max_form_memory_size:
                                raise RequestEntityTooLarge()
                            chunks.append(event)
                        else:
                            _add(segment, b"".join(chunks), fields, files)
        except multipart.ParserLimitReached:
            raise RequestEntityTooLarge() from None
        except multipart.MultipartError as error:
            raise ValueError(str(error)) from None
        return stream, self.cls(fields), self.cls(files)


def _add(segment, data: bytes, fields: list, files: list) -> None:
    name = segment.name or ""
    if segment.filename is None:
        charset = (segment.charset or "utf-8").lower()
        fields.append((name, data.decode(charset if charset in FIELD_CHARSETS else "utf-8", "replace")))
    else:
        files.append((name, FileStorage(io.BytesIO(data), segment.filename, name,
                                        headers=Headers(segment.headerlist))))
