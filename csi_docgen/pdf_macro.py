"""The LibreOffice macro that updates a contract's indexes, then exports it to PDF.

``soffice --convert-to pdf`` prints the table of contents as the .docx caches
it, and the .docx cannot know page numbers (only a layout engine does; see
:mod:`csi_docgen.docx.toc`). So each LibreOffice run of :mod:`csi_docgen.pdf`
gets a throwaway user profile holding one Basic macro, started from the
command line (``macro:///…``): for each contract it opens the .docx hidden,
updates every index twice (the first update may lengthen the table and move
the pages after it; the second writes the final numbers), exports the PDF
and closes the document. The .docx itself is never changed.

A new profile is normally filled by LibreOffice's first start, which would
replace the macro library with the default one: the profile says that its
set-up is complete (``ooSetupInstCompleted``), so LibreOffice keeps it as it
is. Basic is part of every LibreOffice; no Python bridge is needed.
"""

from __future__ import annotations

from pathlib import Path

MODULE = "CsiDocgen"

_MACRO = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{MODULE}" script:language="StarBasic">
Sub Convertir(dossier As String, noms As String)
  Dim ouvrir(0) As New com.sun.star.beans.PropertyValue
  ouvrir(0).Name = &quot;Hidden&quot;
  ouvrir(0).Value = True
  Dim exporter(0) As New com.sun.star.beans.PropertyValue
  exporter(0).Name = &quot;FilterName&quot;
  exporter(0).Value = &quot;writer_pdf_Export&quot;
  For Each nom In Split(noms, &quot;,&quot;)
    UnContrat(dossier, nom, ouvrir(), exporter())
  Next
End Sub

Sub UnContrat(dossier As String, nom As String, ouvrir(), exporter())
  On Error Resume Next
  doc = StarDesktop.loadComponentFromURL(dossier &amp; &quot;/&quot; &amp; nom &amp; &quot;.docx&quot;, &quot;_blank&quot;, 0, ouvrir())
  If IsNull(doc) Then Exit Sub
  For tour = 1 To 2
    doc.refresh()
    index = doc.getDocumentIndexes()
    For i = 0 To index.getCount() - 1
      index.getByIndex(i).update()
    Next
  Next
  doc.storeToURL(dossier &amp; &quot;/pdf/&quot; &amp; nom &amp; &quot;.pdf&quot;, exporter())
  doc.close(True)
End Sub
</script:module>
"""

_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">{element}</library:library>
"""

_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" xlink:href="$(USER)/basic/Standard/{kind}.xlb/" xlink:type="simple" library:link="false"/>
</library:libraries>
"""

_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def seed_profile(folder: Path) -> None:
    """Write a LibreOffice user profile that holds the conversion macro."""
    user = folder / "user"
    basic = user / "basic" / "Standard"
    basic.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_SETTINGS, encoding="utf-8")
    (user / "basic" / "script.xlc").write_text(_CONTAINER.format(kind="script"), encoding="utf-8")
    (user / "basic" / "dialog.xlc").write_text(_CONTAINER.format(kind="dialog"), encoding="utf-8")
    (basic / "script.xlb").write_text(_LIBRARY.format(element=f'<library:element library:name="{MODULE}"/>'), encoding="utf-8")
    (basic / "dialog.xlb").write_text(_LIBRARY.format(element=""), encoding="utf-8")
    (basic / f"{MODULE}.xba").write_text(_MACRO, encoding="utf-8")


def macro_call(folder: Path, names: list[str]) -> str:
    """The command-line argument that converts ``folder/NAME.docx`` into ``folder/pdf/NAME.pdf`` for each name.

    The folder goes as a file URL (percent-encoded, so quotes and commas of a
    path never reach the macro's argument list); names are the plain numbers
    the PDF module gives its copies.
    """
    return f'macro:///Standard.{MODULE}.Convertir("{folder.as_uri()}","{",".join(names)}")'
