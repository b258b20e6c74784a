# tests/filter.sed: normalise output that legitimately varies between runs.
s/version [0-9][0-9.]*[^ ]*/version X/g
s/[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}/UUID/g
