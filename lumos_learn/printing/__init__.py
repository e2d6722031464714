"""Paper copies of course content: lessons and job aids as A4 PDFs, worksheets as XLSX.

Made on the server from the same sanitised HTML the pages show, so print and screen never disagree.
"""
