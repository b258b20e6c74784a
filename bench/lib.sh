# bench/lib.sh: helpers for the tool-level benchmark scripts (bench/*.sh).
#
#   median_time CMD...    run CMD BENCH_RUNS times (default 5; output
#                         discarded, stdin from /dev/null), print the median
#                         wall-clock seconds ("0.123"); on any failing run
#                         print "FAILED" and return 1
#   time_once CMD...      run CMD once (output discarded); print elapsed
#                         microseconds, or FAILED (status 1)
#   median_s US...        median of microsecond counts, as seconds "0.123"
#   ratio OURS REF        OURS/REF to two decimals, or "n/a" when either is
#                         not a positive number
#   bench_line NAME OURS REF
#                         "NAME ours=Xs ref=Ys ratio=Z" (FAILED stays FAILED)
#   fresh_image IMG SIZE  IMG made anew as a sparse file of SIZE (to do
#                         before a timed run, outside the timing)
#   bench_cache_dir       the cache directory for built images
#                         (BENCH_CACHE, default /var/tmp/xfsbench), created

time_once() {
	local t0 t1
	t0=${EPOCHREALTIME/[.,]/}
	if ! "$@" >/dev/null 2>&1 </dev/null; then
		echo FAILED
		return 1
	fi
	t1=${EPOCHREALTIME/[.,]/}
	echo $((10#$t1 - 10#$t0))
}

median_s() {
	local n=$# us sorted
	mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
	if ((n % 2)); then
		us=${sorted[n / 2]}
	else
		us=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2))
	fi
	printf '%d.%03d\n' $((us / 1000000)) $((us % 1000000 / 1000))
}

median_time() {
	local n=${BENCH_RUNS:-5} i t times=()
	for ((i = 0; i < n; i++)); do
		t=$(time_once "$@") || { echo FAILED; return 1; }
		times+=("$t")
	done
	median_s "${times[@]}"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 <= 0 || a + 0 <= 0) { print "n/a"; exit }
		printf "%.2f\n", a / b }'
}

bench_line() {
	local name=$1 ours=$2 ref=$3 o r
	o=$ours; [[ $o =~ ^[0-9.]+$ ]] && o=${o}s
	r=$ref; [[ $r =~ ^[0-9.]+$ ]] && r=${r}s
	echo "$name ours=$o ref=$r ratio=$(ratio "$ours" "$ref")"
}

fresh_image() {
	rm -f "$1" && truncate -s "$2" "$1"
}

bench_cache_dir() {
	local d=${BENCH_CACHE:-/var/tmp/xfsbench}
	mkdir -p "$d" && echo "$d"
}
