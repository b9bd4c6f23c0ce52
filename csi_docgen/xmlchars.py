"""The characters XML 1.0 cannot hold, defined once for the readers, the typesetter and the .docx writer."""

# C0 controls except tab and line breaks, lone surrogates, U+FFFE and U+FFFF:
# a .docx carrying one of them is corrupt. A character class body, for re.
XML_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
