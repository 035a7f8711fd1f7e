#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""usage: check-docs.py DOC EXAMPLE_DIR

The example driver as a document shows it is the example driver: every file of EXAMPLE_DIR
must appear in DOC as a fenced block right under a line naming it (`examples/driver/<file>`),
and each block must equal its file, so that the guide never shows a driver that no longer
builds (check-sdk.sh builds the files).
"""
import pathlib
import re
import sys

doc_path, example_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
doc = doc_path.read_text()
prefix = "examples/driver/"
shown = {
    name: body
    for name, body in re.findall(
        r"^`" + re.escape(prefix) + r"([^`]+)`\n\n```[a-z]*\n(.*?)^```$", doc, re.M | re.S)
}
failures = []
for path in sorted(example_dir.iterdir()):
    if path.name.startswith("."):
        continue
    if path.name not in shown:
        failures.append(f"{doc_path}: does not show {prefix}{path.name}")
    elif shown[path.name] != path.read_text():
        failures.append(f"{doc_path}: its {prefix}{path.name} differs from the file")
for name in sorted(set(shown) - {p.name for p in example_dir.iterdir()}):
    failures.append(f"{doc_path}: shows {prefix}{name}, which does not exist")
for failure in failures:
    print(failure)
if failures:
    sys.exit(1)
print(f"{doc_path} shows the {len(shown)} files of {example_dir} as they are")
