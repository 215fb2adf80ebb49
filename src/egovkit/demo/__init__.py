"""``egovkit demo``: a small, complete story on a fictional province, written to a folder.

For now the story covers agencies and documents: a catalogue is loaded, outgoing documents are
numbered in the province's registers (secret ones in their own sequence), incoming ones get
arrival numbers, and a malformed document is refused with every finding listed. Later
capabilities (exchange, signatures, dossiers, assessments) add chapters.
"""

from egovkit.demo.story import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
