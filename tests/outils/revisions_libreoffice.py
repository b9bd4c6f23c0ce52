"""Accept or reject every tracked change of .docx files in LibreOffice, and save their text.

Run with a Python that can ``import uno`` (LibreOffice's own, or the system
one with python3-uno)::

    python revisions_libreoffice.py OUTDIR FILE.docx:accepter FILE.docx:rejeter FILE.docx:tel-quel …

For each FILE.docx:MODE it writes OUTDIR/<stem>.<mode>.txt (LibreOffice's
« Texte » export of the document after that action) and prints the number
of tracked changes LibreOffice found in the file before the action.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(outdir, items):
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    pipe = f"csi{os.getpid()}"
    office = subprocess.Popen(
        [os.environ.get("SOFFICE", "soffice"), "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(200):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("LibreOffice did not answer")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for item in items:
            path, mode = item.rsplit(":", 1)
            url = uno.systemPathToFileUrl(os.path.abspath(path))
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            try:
                count = doc.getRedlines().createEnumeration()
                n = 0
                while count.hasMoreElements():
                    count.nextElement()
                    n += 1
                frame = doc.getCurrentController().getFrame()
                if mode == "accepter":
                    dispatcher.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
                elif mode == "rejeter":
                    dispatcher.executeDispatch(frame, ".uno:RejectAllTrackedChanges", "", 0, ())
                stem = os.path.splitext(os.path.basename(path))[0]
                target = os.path.join(os.path.abspath(outdir), f"{stem}.{mode}.txt")
                doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Text (encoded)"), prop("FilterOptions", "UTF8,LF")))
                print(f"{path}\t{mode}\t{n}")
            finally:
                doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, 9)
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
