"""Read the QR codes of a PDF as a phone would: render the page to pixels, then decode what is drawn.

pypdfium2 (PDFium, the PDF engine of Chromium) renders; zxing-cpp decodes. Both are wheels from PyPI with
no system libraries, pinned in requirements-dev.txt.
"""

from __future__ import annotations

import pypdfium2
import zxingcpp


def qr_codes_in_pdf(pdf: bytes, scale: float = 3.0) -> list[str]:
    """The text of every QR code on every page of `pdf`, in page order."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            image = page.render(scale=scale).to_pil()
            texts += [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
        return texts
    finally:
        document.close()
