#!/usr/bin/python3
"""Tests of tools/qemu-test (tools/qemutest.py); prints TAP, plan first.

  tools/test_qemu_test.py           console parsing and verdicts on canned
                                    transcripts, the process runner on fake
                                    commands, tools/mkiso and tools/mksdcard
                                    output (about a second, no QEMU)
  tools/test_qemu_test.py --qemu    also boots the fake kernels of
                                    tools/testdata in QEMU through
                                    tools/qemu-test: the harness must pass a
                                    good run and fail bad TAP, a panic, a
                                    hang, a wrong exit code and a console
                                    that forges a pass (~25 s)
  -k WORD                           only tests whose name contains WORD
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

TOOLS = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, TOOLS)
sys.dont_write_bytecode = True
import qemutest as qt  # noqa: E402

TESTS = []


class Skip(Exception):
    pass


def test(fn=None, qemu=False):
    def reg(f):
        TESTS.append((f.__name__[len('test_'):], f, qemu))
        return f
    return reg(fn) if fn else reg


# --- helpers ----------------------------------------------------------------

def console(text):
    con = qt.Console()
    for line in text.splitlines():
        con.feed(line)
    return con


def verdict(text, expect='ktest', arch='aarch64', timed_out=False,
            exit_code=0, texts=(), timeout=60):
    return qt.judge(console(text), expect, arch, timed_out, timeout,
                    exit_code, texts)


def passes(v):
    assert v.ok, 'expected a pass, got: %s' % v.reason


def fails(v, *words):
    assert not v.ok, 'expected a failure, got a pass (%s)' % v.detail
    for w in words:
        assert w in v.reason, 'reason %r lacks %r' % (v.reason, w)


def eq(got, want):
    assert got == want, 'got %r, want %r' % (got, want)


GOOD = """\
Muon 0.1 (aarch64) booting
memory: 256 MiB
1..3
ok 1 - pmm_alloc_free
# a diagnostic line
ok 2 - fdt_memory
ok 3 - timer_ticks
MUON-EXIT: 0
"""

# --- TAP and console parsing -------------------------------------------------


@test
def test_good_run():
    v = verdict(GOOD)
    passes(v)
    eq((v.passed, v.failed), (3, 0))


@test
def test_good_run_x86_exit_code():
    passes(verdict(GOOD, arch='x86_64', exit_code=1))


@test
def test_x86_wrong_exit_code():
    fails(verdict(GOOD, arch='x86_64', exit_code=0),
          'QEMU exit code 0 (no status (not isa-debug-exit)), expected 1 '
          '(status 0)')


@test
def test_aarch64_wrong_exit_code():
    fails(verdict(GOOD, exit_code=1),
          'QEMU exit code 1 (status 1), expected 0 (status 0)')


# --- the verdict is QEMU's exit code; the console is only a check ----------

@test
def test_forged_console_aarch64():
    # a user program printed a whole passing run and "MUON-EXIT: 0", then
    # exited 1: the kernel's SYS_EXIT made QEMU exit 1
    v = verdict(GOOD, exit_code=1)
    fails(v, 'QEMU exit code 1 (status 1), expected 0 (status 0)',
          'console says MUON-EXIT: 0 but QEMU exit code 1 is status 1')
    eq((v.passed, v.failed), (3, 0))


@test
def test_forged_console_x86():
    fails(verdict(GOOD, arch='x86_64', exit_code=3),
          'QEMU exit code 3 (status 1), expected 1 (status 0)',
          'console says MUON-EXIT: 0 but QEMU exit code 3 is status 1')


@test
def test_forged_line_then_the_kernels():
    # as Muon prints it: the forged line, then the kernel's own
    text = GOOD + 'init: pid 1 ended with status 0x100\nMUON-EXIT: 1\n'
    con = console(text)
    eq(con.exit_statuses, [0, 1])
    eq(con.exit_status, 0)
    for arch, code in (('aarch64', 1), ('x86_64', 3)):
        fails(verdict(text, arch=arch, exit_code=code), 'QEMU exit code %d '
              '(status 1)' % code, '2 MUON-EXIT lines (0, 1)',
              'console says MUON-EXIT: 0 but')


@test
def test_two_exit_lines_fail_even_when_the_code_passes():
    fails(verdict(GOOD + 'MUON-EXIT: 0\n'), '2 MUON-EXIT lines (0, 0)')


@test
def test_console_disagrees_with_a_passing_code():
    # aarch64 powered off through PSCI (QEMU exits 0) although the kernel
    # said 1: the exit code passes, the console check does not
    text = GOOD.replace('MUON-EXIT: 0', 'MUON-EXIT: 1')
    v = verdict(text, exit_code=0)
    fails(v, 'console says MUON-EXIT: 1 but QEMU exit code 0 is status 0')
    assert 'expected' not in v.reason, v.reason


@test
def test_exit_mode():
    text = 'Muon 0.1\npid 1 (t) tid 1: killed (signal 11)\nMUON-EXIT: 139\n'

    def run(arch, code, want=139):
        return qt.judge(console(text), 'exit', arch, False, 60, code, (), want)
    passes(run('aarch64', 139))
    passes(run('x86_64', 23))      # 139's low 7 bits: 11
    eq(run('aarch64', 139).detail, 'MUON-EXIT: 139, QEMU exit code 139')
    fails(run('aarch64', 0), 'QEMU exit code 0 (status 0), expected 139',
          'console says MUON-EXIT: 139 but QEMU exit code 0')
    fails(run('x86_64', 1), 'QEMU exit code 1 (status 0), expected 23')
    fails(run('aarch64', 139, want=0), 'expected 0 (status 0)')
    fails(qt.judge(console('Muon 0.1\n'), 'exit', 'aarch64', False, 60, 0,
                   (), 0), 'no MUON-EXIT line (QEMU exit code 0)')
    fails(qt.judge(console('Muon 0.1\n'), 'exit', 'aarch64', True, 5, None,
                   (), 0), 'timeout after 5 s before MUON-EXIT')


@test
def test_expected_exit_codes():
    eq([qt.expected_exit_code('x86_64', x) for x in (0, 1, 2, 127, 139)],
       [1, 3, 5, 255, 23])
    eq([qt.expected_exit_code('aarch64', x) for x in (0, 1, 128, 139, 255)],
       [0, 1, 128, 139, 255])
    # no failing status reads as a pass: exit(128) is 255 on x86-64, whose
    # device carries 7 bits, not (128 << 1 | 1) & 0xff = 1
    for arch in ('x86_64', 'aarch64'):
        ok = qt.expected_exit_code(arch, 0)
        bad = [x for x in range(1, 256)
               if qt.expected_exit_code(arch, x) == ok]
        eq((arch, bad), (arch, []))


@test
def test_semihosting_on_every_aarch64_boot():
    with tempfile.TemporaryDirectory() as tmp:
        image, disk = os.path.join(tmp, 'Image'), os.path.join(tmp, 'd.img')
        with open(image, 'wb') as f:
            f.write(b'\0' * 56 + b'ARM\x64' + b'\0' * 4036)
        with open(disk, 'wb') as f:
            f.write(b'\0' * 510 + b'\x55\xaa')
        argv = qt.qemu_command(qt.parse_args(
            ['--arch', 'aarch64', '--image', image]), tmp)
        want = ['-semihosting-config', 'enable=on,target=native,userspace=off']
        i = argv.index('-semihosting-config')
        eq(argv[i:i + 2], want)
        argv = qt.qemu_command(qt.parse_args(
            ['--arch', 'aarch64', '--image', image, '--interactive']), tmp,
            interactive=True)
        assert '-semihosting-config' in argv, argv
        if os.path.exists(qt.UBOOT_ARM64):
            argv = qt.qemu_command(qt.parse_args(
                ['--arch', 'aarch64', '--boot', 'uboot', '--image', disk]),
                tmp)
            assert '-semihosting-config' in argv, argv


@test
def test_missing_plan():
    v = verdict(GOOD.replace('1..3\n', ''))
    fails(v, 'no TAP plan', 'before the plan')


@test
def test_plan_after_results():
    text = GOOD.replace('1..3\n', '').replace('MUON-EXIT', '1..3\nMUON-EXIT')
    fails(verdict(text), 'before the plan')


@test
def test_plan_with_missing_results():
    text = GOOD.replace('1..3', '1..5')
    v = verdict(text)
    fails(v, '2 of 5 planned tests not reported (4-5)')
    eq((v.passed, v.failed), (3, 2))


@test
def test_not_ok():
    text = GOOD.replace('ok 2 - fdt_memory', 'not ok 2 - fdt_memory\n# at x.c:3')
    text = text.replace('MUON-EXIT: 0', 'MUON-EXIT: 1')
    v = verdict(text, exit_code=1)
    fails(v, '1 failed: 2 fdt_memory', 'QEMU exit code 1 (status 1)')
    eq((v.passed, v.failed), (2, 1))


@test
def test_not_ok_with_exit_0():
    # the kernel's status disagreeing with its own TAP still fails
    text = GOOD.replace('ok 2 - fdt_memory', 'not ok 2 - fdt_memory')
    fails(verdict(text), '1 failed')


@test
def test_duplicate_numbers():
    text = GOOD.replace('ok 3 - timer_ticks', 'ok 2 - timer_ticks')
    v = verdict(text)
    fails(v, 'duplicate test number 2', 'not reported (3)')


@test
def test_number_outside_plan():
    text = GOOD.replace('ok 3 - timer_ticks', 'ok 3 - timer_ticks\nok 4 - x')
    fails(verdict(text), 'test 4 outside the plan 1..3')


@test
def test_two_plans():
    fails(verdict(GOOD.replace('MUON-EXIT', '1..3\nMUON-EXIT')),
          'more than one plan')


@test
def test_panic_mid_run():
    text = GOOD.split('ok 2')[0] + 'PANIC: out of memory\nbacktrace:\n' \
        '  0xffffffff80001234\nMUON-HALTED\n'
    con = console(text)
    assert qt.should_stop(con, 'ktest'), 'should stop at MUON-HALTED'
    v = qt.judge(con, 'ktest', 'x86_64', False, 60, None)
    fails(v, 'kernel died: PANIC: out of memory', 'not reported (2-3)')
    eq((v.passed, v.failed), (1, 2))


@test
def test_exception_mid_run():
    text = GOOD.split('ok 3')[0] + (
        'EXCEPTION: vector 14 (page fault) error 0x2 cr2 0x0\n'
        'rip 0xffffffff80001000 rsp 0xffffffff80100000\n'
        'backtrace:\n  0xffffffff80001000\nMUON-HALTED\n')
    fails(verdict(text, exit_code=None), 'kernel died: EXCEPTION: vector 14')


@test
def test_panic_in_the_middle_of_a_line():
    # a fault while a line is half printed
    text = GOOD.replace('ok 3 - timer_ticks',
                        'ok 3 - timPANIC: bad\nMUON-HALTED')
    con = console(text)
    eq(con.fatal, 'PANIC: bad')


@test
def test_diagnostic_mentioning_panic_is_not_fatal():
    text = GOOD.replace('# a diagnostic line', '# want PANIC: here later')
    passes(verdict(text))


@test
def test_missing_muon_exit():
    text = GOOD.replace('MUON-EXIT: 0\n', '')
    fails(verdict(text, exit_code=0), 'no MUON-EXIT line (QEMU exit '
          'code 0)')


@test
def test_nonzero_muon_exit():
    text = GOOD.replace('MUON-EXIT: 0', 'MUON-EXIT: 2')
    v = verdict(text, arch='x86_64', exit_code=5)
    fails(v, 'QEMU exit code 5 (status 2), expected 1 (status 0)')
    assert 'console says' not in v.reason, v.reason   # they agree


@test
def test_nonzero_muon_exit_wrong_code():
    text = GOOD.replace('MUON-EXIT: 0', 'MUON-EXIT: 2')
    fails(verdict(text, arch='x86_64', exit_code=1),
          'console says MUON-EXIT: 2 but QEMU exit code 1 is status 0')


@test
def test_stopped_without_exit_code():
    fails(verdict(GOOD.replace('MUON-EXIT: 0', 'MUON-HALTED'),
                  exit_code=None), 'QEMU stopped at MUON-HALTED with no '
          'exit code')


@test
def test_timeout_in_ktest():
    text = GOOD.split('ok 3')[0]
    v = verdict(text, timed_out=True, exit_code=None, timeout=7)
    fails(v, 'timeout after 7 s', 'not reported (3)')


@test
def test_timeout_after_exit_line():
    fails(verdict(GOOD, timed_out=True, exit_code=None),
          'after MUON-EXIT (QEMU did not power off)')


@test
def test_bail_out():
    text = GOOD.replace('ok 3 - timer_ticks', 'Bail out! no timer')
    fails(verdict(text), 'Bail out! no timer')


@test
def test_todo_and_skip():
    text = GOOD.replace('ok 2 - fdt_memory', 'not ok 2 - fdt_memory # TODO')
    text = text.replace('ok 3 - timer_ticks', 'ok 3 - timer_ticks # SKIP x')
    v = verdict(text)
    passes(v)
    eq((v.passed, v.failed), (3, 0))


@test
def test_results_without_numbers():
    text = GOOD.replace('ok 1 -', 'ok').replace('ok 2 -', 'ok') \
        .replace('ok 3 -', 'ok')
    v = verdict(text)
    passes(v)
    eq(sorted(console(text).results), [1, 2, 3])


@test
def test_results_after_exit_ignored():
    passes(verdict(GOOD + 'not ok 9 - noise after exit\n'))


@test
def test_crlf_and_escape_sequences():
    text = ('\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01HBdsDxe: loading\r\n'
            + GOOD.replace('\n', '\r\n').replace('1..3', '\x1b[0m1..3'))
    con = console(text)
    eq(con.plan, 3)
    assert con.banner
    passes(verdict(text))


@test
def test_qemu_failed_to_start():
    v = verdict("qemu-system-x86_64: -drive if=pflash: Could not open 'x'\n",
                arch='x86_64', exit_code=1)
    fails(v, 'QEMU failed: qemu-system-x86_64: -drive')


# --- the other modes -----------------------------------------------------------

PAGE_FAULT = """\
Muon 0.1 (x86_64) booting
crash: page fault on purpose
EXCEPTION: vector 14 (#PF) error 0x2
cr2 0x0000000000000000 rip 0xffffffff80001000
backtrace:
  0xffffffff80001000
MUON-HALTED
"""


@test
def test_fatal_pass_with_texts():
    con = console(PAGE_FAULT)
    assert qt.should_stop(con, 'fatal')
    v = qt.judge(con, 'fatal', 'x86_64', False, 60, None,
                 ['vector 14', '(?i)CR2', 'rip', 'backtrace'])
    passes(v)
    assert v.detail.startswith('EXCEPTION: vector 14'), v.detail


@test
def test_fatal_text_missing():
    fails(verdict(PAGE_FAULT, 'fatal', exit_code=None, texts=['vector 6']),
          'output lacks /vector 6/')


@test
def test_fatal_without_halted():
    text = PAGE_FAULT.replace('MUON-HALTED\n', '')
    assert not qt.should_stop(console(text), 'fatal')
    fails(verdict(text, 'fatal', timed_out=True, exit_code=None),
          'but no MUON-HALTED', 'timeout')


@test
def test_fatal_but_nothing_happened():
    fails(verdict('Muon 0.1\n', 'fatal', timed_out=True, exit_code=None,
                  timeout=5), 'timeout after 5 s without a PANIC')


@test
def test_fatal_but_exited():
    fails(verdict(GOOD, 'fatal'), 'instead of dying')


@test
def test_hang_pass():
    v = verdict('Muon 0.1\ncrash: hanging\n', 'hang', timed_out=True,
                exit_code=None, timeout=8, texts=['Muon '])
    passes(v)


@test
def test_hang_but_exited():
    fails(verdict('Muon 0.1\n', 'hang', exit_code=0),
          'QEMU exited (code 0) instead of hanging')


@test
def test_hang_but_panicked():
    fails(verdict('Muon 0.1\nPANIC: x\n', 'hang', timed_out=True,
                  exit_code=None), 'kernel died: PANIC: x')


@test
def test_hang_but_no_banner():
    fails(verdict('', 'hang', timed_out=True, exit_code=None,
                  texts=['Muon ']), 'output lacks /Muon /')


IDLE = 'Muon 0.1\ntimer: running at 100 Hz\nmuon: waiting for the next stage\n'


@test
def test_idle_pass():
    con = console(IDLE)
    assert qt.should_stop(con, 'idle')
    assert not qt.should_stop(con, 'ktest')
    passes(qt.judge(con, 'idle', 'x86_64', False, 60, None,
                    ['timer running|timer: running']))


@test
def test_idle_timeout():
    fails(verdict('Muon 0.1\n', 'idle', timed_out=True, exit_code=None),
          "before 'muon: waiting for the next stage'")


@test
def test_idle_after_panic():
    fails(verdict('Muon 0.1\nPANIC: no memory\nMUON-HALTED\n', 'idle',
                  exit_code=None), 'kernel died')


@test
def test_default_expect():
    eq(qt.default_expect('ktest'), 'ktest')
    eq(qt.default_expect('foo ktest=pmm'), 'ktest')
    eq(qt.default_expect('crash=hang'), 'hang')
    eq(qt.default_expect('crash=page'), 'fatal')
    eq(qt.default_expect(''), 'idle')
    eq(qt.default_expect('ktestx'), 'idle')


@test
def test_ranges():
    eq(qt._ranges([1, 2, 3, 7, 9, 10]), '1-3, 7, 9-10')
    eq(qt._ranges([]), '')


@test
def test_argument_checks():
    for bad in (['--arch', 'aarch64', '--boot', 'bios', '--image', 'x'],
                ['--arch', 'x86_64', '--gic', '3', '--image', 'x'],
                ['--arch', 'aarch64', '--board', 'rpi4', '--gic', '3', '--image', 'x'],
                ['--arch', 'aarch64', '--dtb', 'x.dtb', '--image', 'x'],
                ['--arch', 'x86_64', '--board', 'virt', '--image', 'x'],
                ['--gdb', '--image', 'x'],
                ['--expect-text', '(', '--image', 'x']):
        try:
            with open(os.devnull, 'w') as null:
                old, sys.stderr = sys.stderr, null
                try:
                    qt.parse_args(bad)
                finally:
                    sys.stderr = old
        except SystemExit as e:
            eq(e.code, 2)
        else:
            raise AssertionError('accepted %s' % bad)
    o = qt.parse_args(['--arch', 'aarch64', '--image', 'x', '--cmdline',
                       'ktest'])
    eq((o.boot, o.expect, o.gic), ('kernel', 'ktest', 2))


@test
def test_cmdline_with_iso_refused():
    with tempfile.TemporaryDirectory() as tmp:
        iso = os.path.join(tmp, 'muon.iso')
        with open(iso, 'wb') as f:
            f.write(b'\0' * 4096)
        o = qt.parse_args(['--image', iso, '--cmdline', 'ktest'])
        try:
            qt.qemu_command(o, tmp)
        except qt.UsageError as e:
            assert 'need the kernel ELF' in str(e), str(e)
        else:
            raise AssertionError('--cmdline with an ISO accepted')


# --- the process runner (fake commands, no QEMU) -------------------------------

PY = sys.executable


def run_fake(script, timeout=10, stop_on=None):
    lines = []

    def stop():
        return stop_on is not None and any(stop_on in x for x in lines)
    r = qt.run_console([PY, '-c', script], timeout, lines.append, stop)
    return lines, r


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie not yet reaped by init counts as dead
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().split(') ')[1][0] != 'Z'
    except OSError:
        return False


@test
def test_runner_lines_and_exit_code():
    lines, (timed_out, code, secs) = run_fake(
        'import sys; print("a\\r"); print("b"); sys.stdout.write("tail");'
        'sys.exit(3)')
    eq(lines, ['a\r', 'b', 'tail'])
    eq((timed_out, code), (False, 3))


@test
def test_runner_timeout_kills_the_group():
    with tempfile.TemporaryDirectory() as tmp:
        pidfile = os.path.join(tmp, 'pid')
        script = ('import subprocess, sys, time\n'
                  'p = subprocess.Popen([sys.executable, "-c", '
                  '"import time; time.sleep(600)"])\n'
                  'open(%r, "w").write(str(p.pid))\n'
                  'print("started", flush=True)\n'
                  'time.sleep(600)\n' % pidfile)
        start = time.monotonic()
        lines, (timed_out, code, secs) = run_fake(script, timeout=1.5)
        took = time.monotonic() - start
        eq(lines, ['started'])
        eq((timed_out, code), (True, None))
        assert took < 8, 'took %.1f s' % took
        grandchild = int(open(pidfile).read())
        # SIGKILL is delivered asynchronously: on a loaded machine the
        # grandchild may take a moment to go. Poll (bounded), don't sleep.
        deadline = time.monotonic() + 5
        while alive(grandchild) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(grandchild), 'grandchild %d survived' % grandchild


@test
def test_runner_stop_request():
    start = time.monotonic()
    lines, (timed_out, code, secs) = run_fake(
        'import time\nprint("x\\nMUON-HALTED", flush=True)\ntime.sleep(600)',
        timeout=30, stop_on='MUON-HALTED')
    assert time.monotonic() - start < 8
    eq((timed_out, code), (False, None))
    eq(lines, ['x', 'MUON-HALTED'])


@test
def test_runner_partial_marker_line():
    # MUON-HALTED without a newline still stops the run
    lines, (timed_out, code, secs) = run_fake(
        'import sys, time\nsys.stdout.write("PANIC: x\\nMUON-HALTED");'
        'sys.stdout.flush()\ntime.sleep(600)', timeout=30,
        stop_on='MUON-HALTED')
    eq((timed_out, code), (False, None))
    eq(lines[-1], 'MUON-HALTED')


@test
def test_runner_types_at_prompt():
    # --type: the text goes to the guest's input once it asks, not before
    lines = []

    def on_line(line):
        lines.append(line)
        return b'typed\r\n' if line == qt.TYPE_TEXT else None
    script = ('import sys\nprint("early", flush=True)\n'
              'print("%s", flush=True)\n'
              'print("got " + sys.stdin.readline().strip(), flush=True)\n'
              'print("MUON-HALTED", flush=True)' % qt.TYPE_TEXT)
    timed_out, code, secs = qt.run_console(
        [PY, '-c', script], 30, on_line,
        lambda: any('MUON-HALTED' in x for x in lines), typing=True)
    eq(timed_out, False)
    eq(lines, ['early', qt.TYPE_TEXT, 'got typed', 'MUON-HALTED'])


@test
def test_at_prompt():
    # the prompt waiting at a line's end; or at its start, a background
    # job's output having come in the same read; not in the middle
    eq(qt.at_prompt('$ ', '$ '), True)
    eq(qt.at_prompt('[1] 9', '$ '), False)
    eq(qt.at_prompt('$ server: "hello" sums to 532', '$ '), True)
    eq(qt.at_prompt('output then $ ', '$ '), True)
    eq(qt.at_prompt('costs $ 5', '$ '), False)


# --- tools/mkiso and tools/mksdcard ----------------------------------------------

def need(*cmds):
    os.environ['PATH'] += ':/usr/sbin:/sbin'
    for c in cmds:
        if shutil.which(c) is None:
            raise Skip('%s not installed' % c)


def sh(*argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       encoding='utf-8', errors='replace')
    assert r.returncode == 0, '%s failed:\n%s' % (argv[0], r.stdout)
    return r.stdout


@test
def test_mkiso_grub_cfg():
    need('grub-mkrescue', 'xorriso')
    with tempfile.TemporaryDirectory() as tmp:
        elf, mod, iso = (os.path.join(tmp, n)
                         for n in ('k.elf', 'boot.ifs', 'out/m.iso'))
        for p in (elf, mod):
            with open(p, 'wb') as f:
                f.write(b'\x7fELF' + b'\0' * 60)
        sh(os.path.join(TOOLS, 'mkiso'), elf, iso, "ktest crash=page it's",
           mod)
        cfg = os.path.join(tmp, 'grub.cfg')
        sh('xorriso', '-osirrox', 'on', '-indev', iso, '-extract',
           '/boot/grub/grub.cfg', cfg)
        text = open(cfg).read()
        for want in ('serial --unit=0 --speed=115200', 'terminal_output serial',
                     'set timeout=0',
                     "multiboot2 /boot/muon.elf ktest crash=page 'it'\\''s'\n",
                     'module2 /boot/boot.ifs boot.ifs\n'):
            assert want in text, 'grub.cfg lacks %r:\n%s' % (want, text)
        assert '@' not in text, 'placeholder left:\n' + text


@test
def test_mksdcard_boot_scr():
    need('mkimage', 'sfdisk', 'mkfs.vfat', 'mcopy', 'mtype')
    with tempfile.TemporaryDirectory() as tmp:
        image, disk = os.path.join(tmp, 'Image'), os.path.join(tmp, 'd.img')
        with open(image, 'wb') as f:
            f.write(os.urandom(3 << 20))
        sh(os.path.join(TOOLS, 'mksdcard'), image, disk, 'ktest=pmm x=1')
        eq(os.path.getsize(disk), 32 << 20)
        with open(disk, 'rb') as f:
            mbr = f.read(512)
        eq(mbr[510:512], b'\x55\xaa')
        eq((mbr[446], mbr[450]), (0x80, 0x0e))   # bootable, FAT16 LBA
        scr = sh('mtype', '-i', disk + '@@1M', '::/boot.scr')
        assert "setenv bootargs 'ktest=pmm x=1'" in scr, scr
        assert 'booti ${kernel_addr_r} - ${fdtcontroladdr}' in scr, scr
        copy = os.path.join(tmp, 'copy')
        sh('mcopy', '-i', disk + '@@1M', '::/Image', copy)
        assert open(copy, 'rb').read() == open(image, 'rb').read()


# --- end to end with fake kernels in QEMU (--qemu) -------------------------------

FAKE = {}


def fake_kernels():
    if not FAKE:
        need('qemu-system-x86_64', 'qemu-system-aarch64', 'grub-mkrescue',
             'aarch64-linux-gnu-gcc')
        FAKE['dir'] = tempfile.mkdtemp(prefix='muon-fake-kernels.')
        sh(os.path.join(TOOLS, 'testdata', 'build-fake-kernels'), FAKE['dir'])
    return FAKE['dir']


def qemu_test(*args):
    r = subprocess.run([os.path.join(TOOLS, 'qemu-test')] + list(args),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    return r.returncode, r.stdout


def x86(cmdline, *args):
    return qemu_test('--arch', 'x86_64', '--image',
                     os.path.join(fake_kernels(), 'fake-x86.elf'),
                     '--cmdline', cmdline, *args)


def a64(name, *args):
    return qemu_test('--arch', 'aarch64', '--image',
                     os.path.join(fake_kernels(), 'fake-a64-%s.Image' % name),
                     *args)


def outcome(r, rc, *words):
    code, out = r
    assert code == rc, 'exit %d, want %d:\n%s' % (code, rc, out)
    for w in words:
        assert w in out, 'output lacks %r:\n%s' % (w, out)


X86_GOOD = 'Muon fake|1..2|ok 1 - a|ok 2 - b|MUON-EXIT: 0|0'


@test(qemu=True)
def test_qemu_x86_bios_good():
    outcome(x86(X86_GOOD, '--expect', 'ktest'), 0, 'PASS', '2 passed, 0 failed')


@test(qemu=True)
def test_qemu_x86_uefi_good():
    outcome(x86(X86_GOOD, '--boot', 'uefi', '--expect', 'ktest'), 0,
            'PASS x86_64/uefi')


@test(qemu=True)
def test_qemu_x86_not_ok():
    outcome(x86('Muon fake|1..2|ok 1 - a|not ok 2 - b|MUON-EXIT: 1|1',
                '--expect', 'ktest'), 1, 'FAIL', '1 passed, 1 failed',
            '1 failed: 2 b', '--- last')


@test(qemu=True)
def test_qemu_x86_exit_code_mismatch():
    outcome(x86(X86_GOOD[:-1] + '2', '--expect', 'ktest'), 1,
            'QEMU exit code 5 (status 2), expected 1 (status 0)')


@test(qemu=True)
def test_qemu_x86_forged_console():
    # the console says a clean pass, isa-debug-exit says status 1
    outcome(x86(X86_GOOD[:-1] + '1', '--expect', 'ktest'), 1,
            'FAIL', '2 passed, 0 failed',
            'QEMU exit code 3 (status 1), expected 1 (status 0)',
            'console says MUON-EXIT: 0 but QEMU exit code 3 is status 1')


@test(qemu=True)
def test_qemu_x86_hang_is_a_failure_for_ktest():
    outcome(x86('Muon fake|1..2|ok 1 - a|.', '--expect', 'ktest',
                '--timeout', '3'), 1, 'timeout after 3 s')


@test(qemu=True)
def test_qemu_x86_hang_expected():
    outcome(x86('Muon fake|.', '--expect', 'hang', '--timeout', '4',
                '--expect-text', 'Muon '), 0, 'PASS', 'hung')


@test(qemu=True)
def test_qemu_x86_fatal_report():
    cmd = 'Muon fake|EXCEPTION: vector 14|cr2 0 rip 1|backtrace:|MUON-HALTED|.'
    outcome(x86(cmd, '--expect', 'fatal', '--expect-text', 'vector 14',
                '--expect-text', 'cr2', '--timeout', '20'), 0, 'PASS')
    outcome(x86(cmd, '--expect', 'fatal', '--expect-text', 'vector 6',
                '--timeout', '20'), 1, 'output lacks /vector 6/')


@test(qemu=True)
def test_qemu_aarch64_good():
    outcome(a64('good', '--expect', 'ktest', '--gic', '3'), 0, 'PASS')


@test(qemu=True)
def test_qemu_aarch64_uboot_good():
    outcome(a64('good', '--boot', 'uboot', '--cmdline', 'ktest'), 0,
            'PASS aarch64/uboot')


@test(qemu=True)
def test_qemu_aarch64_not_ok():
    outcome(a64('notok', '--expect', 'ktest'), 1, '1 passed, 1 failed')


@test(qemu=True)
def test_qemu_aarch64_exit_status():
    # semihosting SYS_EXIT with status 1 on a clean-looking console, and
    # PSCI SYSTEM_OFF (exit code 0) under a console saying 1: both fail
    outcome(a64('forge', '--expect', 'ktest'), 1, '2 passed, 0 failed',
            'QEMU exit code 1 (status 1), expected 0 (status 0)',
            'console says MUON-EXIT: 0 but QEMU exit code 1 is status 1')
    outcome(a64('forge', '--expect', 'exit', '--exit-status', '1'), 1,
            'console says MUON-EXIT: 0 but QEMU exit code 1 is status 1')
    outcome(a64('notok', '--expect', 'exit', '--exit-status', '1'), 0,
            'PASS', 'MUON-EXIT: 1, QEMU exit code 1')
    outcome(a64('psci-exit1', '--expect', 'ktest'), 1, '1 passed, 0 failed',
            'console says MUON-EXIT: 1 but QEMU exit code 0 is status 0')


@test(qemu=True)
def test_qemu_aarch64_uboot_forge():
    outcome(a64('forge', '--boot', 'uboot', '--cmdline', 'ktest'), 1,
            'QEMU exit code 1 (status 1), expected 0 (status 0)')


@test(qemu=True)
def test_qemu_aarch64_panic():
    outcome(a64('hang-panic', '--expect', 'ktest', '--timeout', '20'), 1,
            'kernel died: PANIC: fake panic')
    outcome(a64('hang-panic', '--expect', 'fatal', '--timeout', '20'), 0,
            'PASS')


@test(qemu=True)
def test_qemu_aarch64_silent_hang():
    outcome(a64('hang-quiet', '--expect', 'idle', '--timeout', '2'), 1,
            'timeout after 2 s')


# --- main ---------------------------------------------------------------------

def main(argv):
    qemu = '--qemu' in argv
    word = argv[argv.index('-k') + 1] if '-k' in argv else ''
    chosen = [(n, f) for n, f, q in TESTS if (qemu or not q) and word in n]
    print('1..%d' % len(chosen), flush=True)
    failed = 0
    try:
        for i, (name, fn) in enumerate(chosen, 1):
            try:
                fn()
                print('ok %d - %s' % (i, name))
            except Skip as e:
                print('ok %d - %s # SKIP %s' % (i, name, e))
            except Exception as e:  # noqa: BLE001 - report any failure
                failed += 1
                print('not ok %d - %s' % (i, name))
                detail = str(e) if isinstance(e, AssertionError) \
                    else traceback.format_exc()
                for line in detail.rstrip().splitlines():
                    print('# ' + line)
            sys.stdout.flush()
    finally:
        if FAKE:
            shutil.rmtree(FAKE['dir'], ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
