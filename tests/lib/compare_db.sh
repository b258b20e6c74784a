# tests/lib/compare_db.sh: run the same xfs_db commands with the reference
# and with ours, and report whether the output is the same.
#
#   compare_db IMG LABEL CMD...
#       Runs `xfs_db -r -c CMD1 -c CMD2 ... IMG` with $REF_DB and with $DB
#       (ours; COMPARE_DB overrides).  Prints exactly one of
#           LABEL: identical
#           LABEL: DIFFERS            then a unified diff, ref -> ours,
#                                     capped at COMPARE_DIFF_LINES (40) lines
#           LABEL: CRASHED (why)      ours died on a signal, hit the timeout
#                                     (COMPARE_TIMEOUT, 60 s) or printed a
#                                     sanitizer report; the report follows
#       and returns 0 only for "identical" (1 differs, 2 crashed).
#       The text compared is stdout, then stderr under a "--- stderr" line
#       when there is any, then "--- exit N" when the exit status is not 0;
#       COMPARE_FILTER (a sed script) is applied to both sides, after the
#       built-in normalisation of run-dependent addresses.
#       When DB_COMPARE_ONLY is set (an extended regex), labels that do not
#       match it are skipped silently (counted in COMPARE_SKIPPED).
#   compare_db_summary
#       Prints "compare: N compared, N identical, N differ, N crashed".
#
# Counters: COMPARE_TOTAL COMPARE_SAME COMPARE_DIFF COMPARE_CRASH
# COMPARE_SKIPPED.  Needs TMPDIR (the runner sets it).

COMPARE_TOTAL=0 COMPARE_SAME=0 COMPARE_DIFF=0 COMPARE_CRASH=0 COMPARE_SKIPPED=0
: "${REF_DB:=/usr/sbin/xfs_db}"

# Exec is the expensive part on small VMs (10+ ms each) and compare_db runs
# hundreds of times, so everything but the two tools, timeout and (on a
# difference) diff is done with bash builtins.
shopt -s extglob

# _compare_slurp VAR FILE: VAR=contents of FILE (no fork)
_compare_slurp() {
	local -n _v=$1
	_v=
	IFS= read -r -d '' _v <"$2" || true
}

# _compare_text VAR BASE RC: the text compared, from BASE.out and BASE.err;
# addresses that change from run to run (ASLR, "detected at 0x55d0c1e2f879")
# are normalised, then COMPARE_FILTER is applied when set.
_compare_text() {
	local -n _t=$1
	local out err
	_compare_slurp out "$2.out"
	_compare_slurp err "$2.err"
	_t=$out
	[ -n "$err" ] && _t+=$'--- stderr\n'$err
	[ "$3" -ne 0 ] && _t+=$'--- exit '$3$'\n'
	_t=${_t//detected at 0x+([0-9a-f])/detected at ADDR}
	if [ -n "${COMPARE_FILTER:-}" ]; then
		_t=$(printf '%s' "$_t" | sed -e "$COMPARE_FILTER"; echo .)
		_t=${_t%.}
	fi
}

# sanitizer_report FILE...: true when a sanitizer reported an error in FILE
sanitizer_report() {
	grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer)|runtime error:|AddressSanitizer:DEADLYSIGNAL|WARNING: ThreadSanitizer' "$@" 2>/dev/null
}

# crash_reason RC FILE...: prints why a run counts as a crash, or nothing.
crash_reason() {
	local rc=$1; shift
	if sanitizer_report "$@"; then echo "sanitizer report"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo "timeout"
	elif [ "$rc" -ge 128 ]; then echo "signal $((rc - 128))"
	fi
}

_COMPARE_DIR=
compare_db() {
	local img=$1 label=$2 ours=${COMPARE_DB:-$DB} d c args=() rrc orc pid why
	local rtext otext line n
	shift 2
	if [ -n "${DB_COMPARE_ONLY:-}" ] && ! [[ $label =~ $DB_COMPARE_ONLY ]]; then
		COMPARE_SKIPPED=$((COMPARE_SKIPPED + 1))
		return 0
	fi
	COMPARE_TOTAL=$((COMPARE_TOTAL + 1))
	if [ -z "$_COMPARE_DIR" ] || [ ! -d "$_COMPARE_DIR" ]; then
		_COMPARE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cmp.XXXXXX") || return 1
	fi
	d=$_COMPARE_DIR
	for c in "$@"; do args+=(-c "$c"); done
	# both sides at once
	"$REF_DB" -r "${args[@]}" "$img" >"$d/ref.out" 2>"$d/ref.err" </dev/null &
	pid=$!
	timeout -k 5 "${COMPARE_TIMEOUT:-60}" "$ours" -r "${args[@]}" "$img" \
		>"$d/ours.out" 2>"$d/ours.err" </dev/null
	orc=$?
	wait $pid
	rrc=$?
	why=
	if [ $orc -ge 124 ] || [ -s "$d/ours.err" ]; then
		why=$(crash_reason $orc "$d/ours.out" "$d/ours.err")
	fi
	if [ -n "$why" ]; then
		COMPARE_CRASH=$((COMPARE_CRASH + 1))
		echo "$label: CRASHED ($why)"
		echo "  commands: $*"
		{ grep -hE -A12 'ERROR: |runtime error:|DEADLYSIGNAL' "$d/ours.err" "$d/ours.out" ||
		  tail -n 12 "$d/ours.err"; } | head -n "${COMPARE_DIFF_LINES:-40}" | sed 's/^/  /'
		return 2
	fi
	_compare_text rtext "$d/ref" $rrc
	_compare_text otext "$d/ours" $orc
	if [[ $rtext == "$otext" ]]; then
		COMPARE_SAME=$((COMPARE_SAME + 1))
		echo "$label: identical"
		return 0
	fi
	COMPARE_DIFF=$((COMPARE_DIFF + 1))
	echo "$label: DIFFERS"
	echo "  commands: $*"
	printf '%s' "$rtext" >"$d/ref.txt"
	printf '%s' "$otext" >"$d/ours.txt"
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[ $n -gt "${COMPARE_DIFF_LINES:-40}" ] && { echo "  ..."; break; }
		printf '  %s\n' "$line"
	done < <(diff -u --label ref --label ours "$d/ref.txt" "$d/ours.txt")
	return 1
}

compare_db_summary() {
	echo "compare: $COMPARE_TOTAL compared, $COMPARE_SAME identical," \
		"$COMPARE_DIFF differ, $COMPARE_CRASH crashed"
}
