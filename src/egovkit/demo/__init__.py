"""``egovkit demo``: the whole story of egovkit on a fictional province, written to a folder.

Tỉnh Sông Lam (fictional, code H99) numbers documents in its registers, exchanges signed
documents between two of its agencies, runs a year of one-stop dossiers at its communes across
the holidays, classifies its procedures' online service levels, exports dossiers to the national
portal (when the adapter is installed) and is scored with the ``qd766`` and ``it-application``
rule sets. Each chapter is a module of :mod:`egovkit.demo.chapters`;
:func:`~egovkit.demo.story.run_demo` plays them and writes HTML and JSON reports.
"""

from egovkit.demo.story import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
