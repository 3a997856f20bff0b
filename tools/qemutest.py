"""Boot Muon in QEMU, read its serial console and judge the run.

tools/qemu-test is the command; this module holds the pieces so that
tools/test_qemu_test.py can test them without QEMU:

  Console          what the kernel printed, fed one line at a time (TAP plan
                   and results, PANIC/EXCEPTION, MUON-HALTED, MUON-EXIT, idle)
  judge()          the verdict of a run for one --expect mode
  run_console()    run a command with stdin closed, hand its output line by
                   line to a callback, stop on request, at EOF or at a
                   timeout, and always kill its process group
  qemu_command()   the QEMU command line for --arch/--board/--boot/... (builds
                   the temporary ISO or disk with tools/mkiso or
                   tools/mksdcard); --board rpi4 runs QEMU 10's raspi4b in
                   the Debian trixie chroot tools/raspi4b-qemu keeps
  main()           argument parsing, one run, the summary line

The kernel's side of the protocol (see the kernel's ktest and panic code):
TAP on the console (plan first), then "MUON-EXIT: <status>" and power off
with the status, which QEMU turns into its exit code (expected_exit_code):
x86-64 through isa-debug-exit at 0xf4 (exit code (status << 1) | 1, 7 bits
of status), aarch64 through Arm semihosting SYS_EXIT (exit code = status),
which qemu_command() enables for EL1 only. Fatal paths print "PANIC: " or
"EXCEPTION: ", a report, then "MUON-HALTED" and halt. Without test options
the boot ends with "muon: waiting for the next stage".

The verdict of a run that ends with a status (--expect ktest, exit) is
QEMU's exit code: any user program can print "MUON-EXIT: 0" or a passing
TAP run, none can make QEMU exit (port I/O, HLT #0xf000, HVC and SMC all
fault in user mode). The console is a check on top: the TAP must pass and
the one MUON-EXIT line must agree with the exit code.
"""

import argparse
import codecs
import os
import re
import selectors
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.realpath(__file__))

OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd'
OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd'
UBOOT_ARM64 = '/usr/lib/u-boot/qemu_arm64/u-boot.bin'

EXPECT_MODES = ('ktest', 'fatal', 'hang', 'idle', 'exit')
BOOTS = {'x86_64': ('bios', 'uefi'), 'aarch64': ('kernel', 'uboot')}
BOARDS = {'x86_64': ('pc',), 'aarch64': ('virt', 'rpi4')}
IDLE_TEXT = 'muon: waiting for the next stage'
HALT_TEXT = 'MUON-HALTED'
# A guest line asking for the next --type text (tests/user/test_console).
TYPE_TEXT = 'MUON-TYPE'
TAIL_LINES = 40
DEFAULT_TIMEOUT = 60.0

# --- console parsing -------------------------------------------------------

_ANSI_RE = re.compile(r'\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]')
_CTRL_RE = re.compile(r'[\x00-\x08\x0b-\x1f\x7f]')
_PLAN_RE = re.compile(r'^1\.\.(\d+)\s*(?:#.*)?$')
_RESULT_RE = re.compile(r'^(not ok|ok)\b[ \t]*(\d+)?[ \t]*(?:-[ \t]*)?(.*)$')
_DIRECTIVE_RE = re.compile(r'#\s*(SKIP|TODO)\b', re.IGNORECASE)
_BAIL_RE = re.compile(r'^Bail out!')
_FATAL_RE = re.compile(r'(?:PANIC|EXCEPTION): ')
_EXIT_RE = re.compile(r'MUON-EXIT:\s*(-?(?:0x[0-9a-fA-F]+|\d+))')

# Arm semihosting for EL1 only (userspace=off, QEMU's default, spelled out):
# the kernel's SYS_EXIT sets QEMU's exit status; target=native keeps the
# calls in QEMU even with a gdb attached (make debug, tools/bench/profile).
SEMIHOSTING = ['-semihosting-config', 'enable=on,target=native,userspace=off']


def clean_line(raw):
    """A console line without CR, terminal escape sequences and other
    control characters (GRUB and OVMF paint the screen with them)."""
    return _CTRL_RE.sub('', _ANSI_RE.sub('', raw))


class Console:
    """What the kernel printed, as the harness sees it. Call feed() with each
    line (with or without its newline), then read the fields or judge()."""

    def __init__(self, idle_text=IDLE_TEXT):
        self.idle_text = idle_text  # the line that means "booted and settled"
        self.lines = []          # every line, cleaned
        self.plan = None         # N of the first "1..N"
        self.results = {}        # test number -> (ok, description, directive)
        self.errors = []         # TAP protocol errors, in order of appearance
        self.next_number = 1     # number of a result printed without one
        self.fatal = None        # first PANIC:/EXCEPTION: line
        self.halted = False      # MUON-HALTED seen
        self.exit_status = None  # status of the first MUON-EXIT line
        self.exit_statuses = []  # of every MUON-EXIT line (the kernel's: 1)
        self.idle = False        # "muon: waiting for the next stage" seen
        self.banner = False      # "Muon " seen
        self.bail = None         # a "Bail out!" line

    def feed(self, raw):
        line = clean_line(raw.rstrip('\n'))
        self.lines.append(line)
        if 'Muon ' in line:
            self.banner = True
        if line.startswith('#'):        # TAP diagnostics: never protocol
            return
        m = _FATAL_RE.search(line)      # usually at the start of the line
        if m and self.fatal is None:
            self.fatal = line[m.start():]
        if HALT_TEXT in line:
            self.halted = True
        if self.idle_text in line:
            self.idle = True
        m = _EXIT_RE.search(line)
        if m:
            self.exit_statuses.append(int(m.group(1), 0))
            if self.exit_status is None:
                self.exit_status = self.exit_statuses[0]
            return
        if self.exit_status is not None or self.halted:
            return                      # TAP ends with MUON-EXIT or death
        if _BAIL_RE.match(line):
            self.bail = line
            return
        m = _PLAN_RE.match(line)
        if m:
            if self.plan is not None:
                self.errors.append('more than one plan (%s)' % line)
            else:
                self.plan = int(m.group(1))
            return
        m = _RESULT_RE.match(line)
        if m:
            self._result(m.group(1) == 'ok', m.group(2), m.group(3), line)

    def _result(self, ok, number, desc, line):
        num = int(number) if number is not None else self.next_number
        self.next_number = num + 1
        directive = None
        d = _DIRECTIVE_RE.search(desc)
        if d:
            directive = d.group(1).upper()
            desc = desc[:d.start()].rstrip()
        if self.plan is None and not any('before the plan' in e
                                         for e in self.errors):
            self.errors.append('test result before the plan (%s)' % line)
        if self.plan is not None and not 1 <= num <= self.plan:
            self.errors.append('test %d outside the plan 1..%d'
                               % (num, self.plan))
        if num in self.results:
            self.errors.append('duplicate test number %d' % num)
            return
        self.results[num] = (ok, desc, directive)

    # What a TAP point counts as: ok (and not ok # TODO) pass; not ok and
    # every planned number never reported fail.
    def missing(self):
        if self.plan is None:
            return []
        return [n for n in range(1, self.plan + 1) if n not in self.results]

    def failures(self):
        return [(n, desc) for n, (ok, desc, d) in sorted(self.results.items())
                if not ok and d != 'TODO']

    def counts(self):
        failed = len(self.failures()) + len(self.missing())
        return len(self.results) - len(self.failures()), failed

    def text(self):
        return '\n'.join(self.lines)


def _ranges(nums):
    """[1,2,3,7] -> '1-3, 7'."""
    out, start, prev = [], None, None
    for n in nums + [None]:
        if start is not None and (n is None or n != prev + 1):
            out.append(str(start) if start == prev else '%d-%d' % (start, prev))
            start = None
        if start is None and n is not None:
            start = n
        prev = n
    return ', '.join(out)


def _short(s, n=70):
    return s if len(s) <= n else s[:n - 3] + '...'


def expected_exit_code(arch, status):
    """QEMU's exit code after the kernel powers off with status (0-255),
    as arch_poweroff() arranges it. x86-64: isa-debug-exit exits with
    (v << 1) | 1 and the shell keeps 8 bits, so v is the status's low 7
    bits, 127 when those are 0 but the status is not (128 must not read as
    0). aarch64: semihosting SYS_EXIT exits with the status itself."""
    if arch == 'x86_64':
        v = status & 0x7f
        if status and not v:
            v = 0x7f
        return (v << 1) | 1
    return status & 0xff


def exit_code_meaning(arch, code):
    """What QEMU's exit code says, in words, for a failure reason."""
    if arch == 'x86_64':
        if code == 255:     # what 128 also reports (expected_exit_code)
            return 'status 127 or 128'
        if code & 1:
            return 'status %d' % (code >> 1)
        return 'no status (not isa-debug-exit)'
    return 'status %d' % code


def _exit_reasons(con, arch, exit_code, want):
    """Why a run that QEMU ended with exit_code fails when status want was
    expected: the exit code first (the verdict), then the console's
    MUON-EXIT lines (the check: the kernel prints exactly one, just
    before it powers off, and it must say what the exit code says)."""
    reasons = []
    want_code = expected_exit_code(arch, want)
    if exit_code != want_code:
        reasons.append('QEMU exit code %d (%s), expected %d (status %d)'
                       % (exit_code, exit_code_meaning(arch, exit_code),
                          want_code, want))
    said = con.exit_statuses
    if not said:
        reasons.append('no MUON-EXIT line (QEMU exit code %d)' % exit_code)
    if len(said) > 1:
        reasons.append('%d MUON-EXIT lines (%s), the kernel prints one: '
                       'the others came from elsewhere'
                       % (len(said), ', '.join(str(x) for x in said)))
    for x in sorted(set(said), key=said.index):
        if expected_exit_code(arch, x) != exit_code:
            reasons.append('console says MUON-EXIT: %d but QEMU exit code '
                           '%d is %s (the exit code is the verdict)'
                           % (x, exit_code, exit_code_meaning(arch,
                                                              exit_code)))
    return reasons


class Verdict:
    def __init__(self, ok, reasons, detail, passed=None, failed=None):
        self.ok = ok
        self.reasons = reasons        # why it failed (empty when ok)
        self.detail = detail          # what a PASS line says
        self.passed = passed          # TAP counts (ktest only)
        self.failed = failed

    @property
    def reason(self):
        return '; '.join(self.reasons)


def judge(con, expect, arch, timed_out, timeout, exit_code, texts=(),
          exit_status=0):
    """The verdict on a run. exit_code is QEMU's exit code, or None when it
    was still running when reading stopped (and was killed)."""
    reasons = []
    died = 'kernel died: %s' % _short(con.fatal) if con.fatal else None
    tmo = 'timeout after %g s' % timeout
    qemu_err = None
    if exit_code not in (None, 0) and not con.banner:
        for line in con.lines:
            if line.startswith('qemu-system-'):
                qemu_err = 'QEMU failed: %s' % _short(line, 120)
                break
    passed = failed = None
    detail = ''

    if qemu_err:
        reasons.append(qemu_err)
    elif expect in ('ktest', 'exit'):
        # The verdict: QEMU's exit code, which only the kernel sets. The
        # console (TAP, the MUON-EXIT line) is a check on top.
        want = 0 if expect == 'ktest' else exit_status
        if died:
            reasons.append(died)
        elif timed_out:
            reasons.append(tmo + (' after MUON-EXIT (QEMU did not power off)'
                                  if con.exit_statuses else
                                  ' before MUON-EXIT'))
        elif exit_code is None:
            reasons.append('QEMU stopped at %s with no exit code' % HALT_TEXT)
        if expect == 'ktest':
            passed, failed = con.counts()
            detail = '%d passed, %d failed' % (passed, failed)
            if con.bail:
                reasons.append(con.bail)
            if con.plan is None:
                reasons.append('no TAP plan (1..N)')
            reasons.extend(con.errors)
            miss = con.missing()
            if miss and con.plan is not None:
                reasons.append('%d of %d planned tests not reported (%s)'
                               % (len(miss), con.plan, _ranges(miss)))
            fails = con.failures()
            if fails:
                reasons.append('%d failed: %s' % (len(fails), _short(
                    ', '.join('%d %s' % f for f in fails), 120)))
        else:
            detail = 'MUON-EXIT: %s' % ', '.join(
                str(x) for x in con.exit_statuses)
        if exit_code is not None and not died and not timed_out:
            reasons.extend(_exit_reasons(con, arch, exit_code, want))
            detail += '%sQEMU exit code %d' % (', ' if detail else '',
                                                exit_code)
    elif expect == 'fatal':
        if con.fatal and con.halted:
            detail = _short(con.fatal, 60)
        elif con.fatal:
            reasons.append('%s but no %s (%s)' % (
                _short(con.fatal, 60), HALT_TEXT,
                tmo if timed_out else 'QEMU exited with code %s' % exit_code))
        elif con.exit_status is not None:
            reasons.append('kernel exited (MUON-EXIT: %d) instead of dying'
                           % con.exit_status)
        elif timed_out:
            reasons.append(tmo + ' without a PANIC:/EXCEPTION: line')
        else:
            reasons.append('QEMU exited (code %s) without a PANIC:/EXCEPTION: '
                           'line' % exit_code)
    elif expect == 'hang':
        if died:
            reasons.append(died)
        elif con.exit_status is not None:
            reasons.append('kernel finished (MUON-EXIT: %d) instead of hanging'
                           % con.exit_status)
        elif con.halted:
            reasons.append('%s instead of hanging' % HALT_TEXT)
        elif not timed_out:
            reasons.append('QEMU exited (code %s) instead of hanging'
                           % exit_code)
        else:
            detail = 'hung until the %g s timeout, as expected' % timeout
    elif expect == 'idle':
        if died:
            reasons.append(died)
        elif con.idle:
            detail = 'reached idle'
        elif timed_out:
            reasons.append("%s before '%s'" % (tmo, con.idle_text))
        else:
            reasons.append("QEMU exited (code %s) before '%s'"
                           % (exit_code, con.idle_text))
    else:
        raise ValueError('unknown expect mode %r' % expect)

    if not qemu_err:
        whole = con.text()
        for t in texts:
            if not re.search(t, whole, re.MULTILINE):
                reasons.append('output lacks /%s/' % t)
    return Verdict(not reasons, reasons, detail, passed, failed)


def should_stop(con, expect):
    """True once nothing more need be read: the kernel halted, or it is idle
    and idle is what we wait for."""
    return con.halted or (expect == 'idle' and con.idle and not con.fatal)


# --- running a process -----------------------------------------------------

# Partial lines containing these are handled at once: a kernel that halts
# or idles right after printing them may never send the newline.
_PARTIAL_MARKERS = (HALT_TEXT.encode(), IDLE_TEXT.encode())


def kill_group(proc, grace=5.0):
    """End proc and everything in its process group; reap proc."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # stragglers, if any
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def at_prompt(line, prompt):
    """Whether a console line shows a prompt: at its end (a partial line,
    the prompt waiting), or at its start (the prompt, then a background
    job's output arriving in the same read before the line could be seen
    ending with it)."""
    return line.endswith(prompt) or line.startswith(prompt)


def run_console(argv, timeout, on_line, stop, typing=False, prompt=None):
    """Run argv (stdin closed, stdout+stderr piped, own process group), call
    on_line(str) for each line of output and stop() after each chunk; end
    when stop() is true, at EOF or after timeout seconds. With typing,
    stdin is a pipe and bytes on_line returns are written to it (what the
    guest reads from its serial line). The process group is always
    killed. Returns (timed_out, exit_code or None, seconds)."""
    start = time.monotonic()
    deadline = start + timeout
    proc = subprocess.Popen(argv,
                            stdin=subprocess.PIPE if typing else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def line(text):
        typed = on_line(text)
        if typed and proc.stdin:
            try:
                proc.stdin.write(typed)
                proc.stdin.flush()
            except BrokenPipeError:
                pass
    timed_out, exit_code = False, None
    try:
        fd = proc.stdout.fileno()
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        buf = b''
        eof = stopped = False
        while not stopped:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if not sel.select(left):
                continue
            data = os.read(fd, 65536)
            if not data:
                eof = True
                break
            buf += data
            *complete, buf = buf.split(b'\n')
            for raw in complete:
                line(raw.decode('utf-8', 'replace'))
            if buf and (len(buf) > 65536
                        or any(m in buf for m in _PARTIAL_MARKERS)
                        or (prompt and buf.endswith(prompt))):
                line(buf.decode('utf-8', 'replace'))
                buf = b''
            stopped = stop()
        sel.close()
        if buf:
            line(buf.decode('utf-8', 'replace'))
        if eof:
            try:
                exit_code = proc.wait(
                    timeout=max(0.5, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                timed_out = True   # closed its output but did not exit
    finally:
        kill_group(proc)
        proc.stdout.close()
        if proc.stdin:
            proc.stdin.close()
    return timed_out, exit_code, time.monotonic() - start


# --- QEMU command lines ----------------------------------------------------

class UsageError(Exception):
    pass


def _need(path, what):
    if not os.path.exists(path):
        raise UsageError('%s not found: %s (run tools/deps install)'
                         % (what, path))


def _is_elf(path):
    with open(path, 'rb') as f:
        return f.read(4) == b'\x7fELF'


def _is_disk(path):
    """An MBR disk image (as tools/mksdcard makes), not a kernel Image."""
    with open(path, 'rb') as f:
        head = f.read(512)
    return len(head) == 512 and head[510:512] == b'\x55\xaa' \
        and head[56:60] != b'ARM\x64'


def _tool(name, *args):
    r = subprocess.run([os.path.join(TOOLS, name)] + list(args),
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode != 0:
        raise UsageError('tools/%s failed:\n%s' % (name, r.stdout.rstrip()))


def _cache_tool(name):
    """Run tools/NAME --ensure (tools/raspi4b-qemu, tools/rpi4-boot-files):
    the directory it prints."""
    r = subprocess.run([os.path.join(TOOLS, name), '--ensure'],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0 or not r.stdout.strip():
        raise UsageError('tools/%s: %s' % (name, (r.stderr.strip()
                         or 'exit status %d' % r.returncode)))
    return r.stdout.strip()


def rpi4_chroot():
    """The trixie chroot holding QEMU 10 (made once, tools/raspi4b-qemu)."""
    return _cache_tool('raspi4b-qemu')


def _rpi4_command(o, tmp, interactive):
    """raspi4b: QEMU 10 in the chroot (tmp is inside it), Debian's DTB as
    the firmware would pass it (--dtb to change it), entered at EL2 like
    the firmware's stub enters kernel8.img. Both UARTs, the PL011 and the
    mini UART, go to the console (U-Boot starts on the one and moves to
    the other; the kernel uses the one stdout-path names)."""
    root = o.rpi4_root
    files = _cache_tool('rpi4-boot-files')

    def inside(name, src):          # copy src into tmp; its path in root
        shutil.copyfile(src, os.path.join(tmp, name))
        return '/' + os.path.relpath(os.path.join(tmp, name), root)
    con = 'stdio,id=con,mux=on' + (',signal=off' if interactive else '')
    # The machine always has four cores, and Muon starts one: the other
    # three wait in QEMU's boot stub, whose WFE is a busy loop under
    # multi-threaded TCG (a host core each); one TCG thread lets them
    # yield, which halves a boot's time.
    argv = ['chroot', root, 'qemu-system-aarch64', '-accel', 'tcg,thread=single',
            '-M', 'raspi4b', '-display', 'none', '-nic', 'none',
            '-chardev', con, '-serial', 'chardev:con', '-serial', 'chardev:con']
    argv += ['-mon', 'chardev=con'] if interactive else ['-monitor', 'none']
    if o.semihosting:
        argv += ['-no-reboot'] + SEMIHOSTING
    argv += ['-dtb', inside('board.dtb', o.dtb or os.path.join(
        files, 'bcm2711-rpi-4-b.dtb'))]
    if o.boot == 'kernel':
        if _is_disk(o.image):
            raise UsageError('%s is a disk image: use --boot uboot' % o.image)
        argv += ['-kernel', inside('Image', o.image)]
        return argv + (['-append', o.cmdline] if o.cmdline else [])
    if _is_disk(o.image):
        if o.cmdline:
            raise UsageError('--cmdline needs the kernel Image: the command '
                             'line of a disk image is fixed in its boot.scr')
        disk = inside('sdcard.img', o.image)
    else:
        _tool('mksdcard', '--board', 'rpi4', '--uboot', o.image,
              os.path.join(tmp, 'sdcard.img'), o.cmdline)
        disk = '/' + os.path.relpath(os.path.join(tmp, 'sdcard.img'), root)
    return argv + ['-kernel', inside('u-boot.bin', os.path.join(
        files, 'u-boot.bin')), '-drive', 'if=sd,format=raw,file=' + disk]


def qemu_command(o, tmp, interactive=False):
    """The QEMU argv for options o; temporary files go in tmp."""
    if not os.path.isfile(o.image):
        raise UsageError('image %s not found (build it: make ARCH=%s image)'
                         % (o.image, o.arch))
    if o.board == 'rpi4':
        return _rpi4_command(o, tmp, interactive)
    if interactive:
        console = ['-serial', 'mon:stdio']
    else:
        console = ['-serial', 'stdio', '-monitor', 'none']
    common = ['-m', str(o.mem), '-display', 'none', '-no-reboot',
              '-nic', 'none'] + console
    if o.arch == 'x86_64':
        if _is_elf(o.image):
            iso = os.path.join(tmp, 'muon.iso')
            _tool('mkiso', o.image, iso, o.cmdline, *o.module)
        elif o.cmdline or o.module:
            raise UsageError('--cmdline and --module need the kernel ELF: an '
                             'ISO has them fixed in its grub.cfg')
        else:
            iso = o.image
        argv = ['qemu-system-x86_64', '-accel', 'tcg',
                '-cpu', o.cpu or 'max', '-cdrom', iso] + common + [
                    '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        if o.boot == 'uefi':
            _need(OVMF_CODE, 'OVMF firmware')
            _need(OVMF_VARS, 'OVMF variables template')
            vars_copy = os.path.join(tmp, 'OVMF_VARS.fd')
            shutil.copyfile(OVMF_VARS, vars_copy)
            argv += ['-M', 'q35',
                     '-drive', 'if=pflash,format=raw,readonly=on,file='
                     + OVMF_CODE,
                     '-drive', 'if=pflash,format=raw,file=' + vars_copy]
        return argv
    machine = 'virt,gic-version=%d' % o.gic
    if o.el2:
        machine += ',virtualization=on'
    argv = ['qemu-system-aarch64', '-accel', 'tcg', '-M', machine,
            '-cpu', o.cpu or 'cortex-a72'] + common + (
                SEMIHOSTING if o.semihosting else [])
    if o.boot == 'kernel':
        if _is_disk(o.image):
            raise UsageError('%s is a disk image: use --boot uboot' % o.image)
        argv += ['-kernel', o.image]
        if o.cmdline:
            argv += ['-append', o.cmdline]
        return argv
    _need(UBOOT_ARM64, 'U-Boot for qemu_arm64')
    if _is_disk(o.image):
        if o.cmdline:
            raise UsageError('--cmdline needs the kernel Image: the command '
                             'line of a disk image is fixed in its boot.scr')
        drive = 'if=none,format=raw,readonly=on,id=d0,file=' + o.image
    else:
        disk = os.path.join(tmp, 'sdcard.img')
        _tool('mksdcard', o.image, disk, o.cmdline)
        drive = 'if=none,format=raw,id=d0,file=' + disk
    return argv + ['-bios', UBOOT_ARM64, '-drive', drive,
                   '-device', 'virtio-blk-device,drive=d0']


def default_expect(cmdline):
    words = cmdline.split()
    if any(w == 'ktest' or w.startswith('ktest=') for w in words):
        return 'ktest'
    crash = [w[len('crash='):] for w in words if w.startswith('crash=')]
    if crash:
        return 'hang' if crash[-1] == 'hang' else 'fatal'
    return 'idle'


def default_label(o):
    parts = ['%s/%s' % (o.arch if o.board != 'rpi4' else 'rpi4', o.boot)]
    if o.arch == 'aarch64' and o.board != 'rpi4':
        parts.append('gic%d' % o.gic)
        if o.el2:
            parts.append('el2')
    if o.cpu:
        parts.append('cpu=' + o.cpu)
    parts.append(o.cmdline if o.cmdline else o.expect)
    return ' '.join(parts)


# --- the command -----------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog='qemu-test',
        description='Boot a Muon image in QEMU, read the serial console and '
        'judge the run (or, with --interactive, put the console on the '
        'terminal).')
    p.add_argument('--arch', choices=sorted(BOOTS), default='x86_64')
    p.add_argument('--board', help='pc (x86_64), virt or rpi4 (aarch64; '
                   'QEMU 10\'s raspi4b from the chroot tools/raspi4b-qemu '
                   'makes once, 2 GiB)')
    p.add_argument('--dtb', help='rpi4: the device tree to pass (default '
                   'Debian\'s bcm2711-rpi-4-b.dtb, tools/rpi4-boot-files)')
    p.add_argument('--no-semihosting', dest='semihosting',
                   action='store_false',
                   help='aarch64: no semihosting, so power-off goes through '
                   'PSCI or the Pi\'s PM watchdog and QEMU exits 0 whatever '
                   'the status; rpi4: also no -no-reboot, so a reset is seen '
                   'as one (a second boot) and never taken for a power-off')
    p.add_argument('--boot', help='bios|uefi (x86_64), kernel|uboot '
                   '(aarch64); default bios / kernel')
    p.add_argument('--image', required=True,
                   help='x86_64: muon.elf or an ISO; aarch64: Image, or a '
                   'disk image for --boot uboot')
    p.add_argument('--cmdline', default='', help='kernel command line')
    p.add_argument('--idle-text', default=IDLE_TEXT,
                   help='with --expect idle: the console line that means the '
                   'system has settled (default: %(default)r)')
    p.add_argument('--exit-status', type=int, default=0,
                   help='with --expect exit: the status wanted (0-255): '
                   "QEMU's exit code must say it, the console's MUON-EXIT "
                   'line agree')
    p.add_argument('--module', action='append', default=[],
                   help='x86_64: a multiboot2 module for the ISO (e.g. the '
                   'boot image build/x86_64/boot.ifs); repeatable')
    p.add_argument('--gic', type=int, choices=(2, 3), default=2)
    p.add_argument('--el2', action='store_true',
                   help='aarch64: enter at EL2 (virt,virtualization=on)')
    p.add_argument('--cpu', help='QEMU -cpu (default max / cortex-a72)')
    p.add_argument('--mem', type=int, default=256, help='MiB of RAM')
    p.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                   metavar='SECONDS')
    p.add_argument('--expect', choices=EXPECT_MODES,
                   help='ktest: TAP and status 0; exit: status '
                   '--exit-status (both judged on QEMU\'s exit code); fatal: '
                   'a PANIC/EXCEPTION report; hang; idle. Default: ktest if '
                   'the command line has ktest, hang for crash=hang, fatal '
                   'for other crash=, else idle')
    p.add_argument('--expect-text', action='append', default=[],
                   metavar='REGEX', help='must match the console output '
                   '(repeatable; use (?i) for case-insensitive)')
    p.add_argument('--type', action='append', default=[], metavar='TEXT',
                   help='text to type into the serial input (Python escapes: '
                   '\\r, \\x03, ...) when the console shows the line %r; '
                   'the Nth such line types the Nth --type (repeatable)'
                   % TYPE_TEXT)
    p.add_argument('--prompt', metavar='TEXT',
                   help='also type the next --type text when the console '
                   'shows TEXT at the end of a line not ended yet, or at '
                   "the start of a line (a shell's prompt, e.g. '$ ')")
    p.add_argument('--type-late', type=float, default=0, metavar='SECONDS',
                   help='type each --type text SECONDS after its cue, not at '
                   'once: input that comes when the guest has gone idle '
                   '(under -icount sleep=off, through every deadline it had)')
    p.add_argument('--interactive', action='store_true',
                   help='console on this terminal (Ctrl-A X quits)')
    p.add_argument('--gdb', action='store_true',
                   help='with --interactive: wait for gdb on :1234')
    p.add_argument('--qemu-arg', action='append', default=[], metavar='ARG',
                   help='one more QEMU argument, passed as is (repeatable; '
                   'e.g. --qemu-arg=-icount --qemu-arg=shift=0,sleep=off)')
    p.add_argument('--log', help='write the console output to this file')
    p.add_argument('--name', help='label of the run in the summary line')
    p.add_argument('-v', '--verbose', action='store_true',
                   help='echo the console as it comes')
    o = p.parse_args(argv)

    if o.board and o.board not in BOARDS[o.arch]:
        p.error('board %s is not an %s board (%s)'
                % (o.board, o.arch, ', '.join(BOARDS[o.arch])))
    if o.board == 'rpi4' and (o.gic != 2 or o.el2 or o.cpu):
        p.error('rpi4 is a fixed machine (GIC-400, Cortex-A72, entered at '
                'EL2): no --gic, --el2 or --cpu')
    if o.dtb and o.board != 'rpi4':
        p.error('--dtb is for --board rpi4')
    if o.boot is None:
        o.boot = BOOTS[o.arch][0]
    elif o.boot not in BOOTS[o.arch]:
        p.error('--boot %s is not for %s (use %s)'
                % (o.boot, o.arch, ' or '.join(BOOTS[o.arch])))
    if o.arch != 'aarch64' and (o.el2 or o.gic != 2):
        p.error('--gic and --el2 are for aarch64')
    if o.gdb and not o.interactive:
        p.error('--gdb needs --interactive')
    if o.timeout <= 0:
        p.error('--timeout must be positive')
    if o.expect is None:
        o.expect = default_expect(o.cmdline)
    try:
        o.typed = [codecs.decode(t, 'unicode_escape').encode('latin-1')
                   for t in o.type]
    except (UnicodeError, ValueError) as e:
        p.error('bad --type: %s' % e)
    for t in o.expect_text:
        try:
            re.compile(t)
        except re.error as e:
            p.error('bad --expect-text %r: %s' % (t, e))
    return o


def interactive(o, argv):
    if o.gdb:
        argv = argv + ['-s', '-S']
        elf = o.image if _is_elf(o.image) else os.path.join(
            os.path.dirname(o.image), 'muon.elf')
        hint = ('QEMU is waiting for gdb: gdb %s -ex "target remote :1234"; '
                'Ctrl-A X quits QEMU' % shlex.quote(elf))
    else:
        hint = 'Ctrl-A X quits QEMU, Ctrl-A C switches to its monitor'
    where = '%s/%s' % (o.arch if o.board != 'rpi4' else 'rpi4', o.boot)
    if o.arch == 'aarch64' and o.board != 'rpi4':
        where += ' gic%d%s' % (o.gic, ' el2' if o.el2 else '')
    print('qemu-test: booting %s on %s, command line %s. %s'
          % (o.image, where, repr(o.cmdline) if o.cmdline else 'empty', hint),
          file=sys.stderr, flush=True)
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        proc = subprocess.Popen(argv)
        rc = proc.wait()
    finally:
        signal.signal(signal.SIGINT, old)
    if o.arch == 'x86_64' and rc & 1:
        return rc >> 1      # the kernel's MUON-EXIT status (7 bits of it)
    return rc               # aarch64: the status itself (semihosting)


def _on_term(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    o = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGHUP, _on_term)
    label = o.name or default_label(o)
    o.rpi4_root = tmpdir = None
    if o.board == 'rpi4':
        try:
            o.rpi4_root = rpi4_chroot()
        except UsageError as e:
            print('FAIL %s: %s' % (label, e), flush=True)
            return 2
        tmpdir = os.path.join(o.rpi4_root, 'tmp')
    with tempfile.TemporaryDirectory(prefix='muon-qemu-test.',
                                     dir=tmpdir) as tmp:
        try:
            cmd = qemu_command(o, tmp, interactive=o.interactive) + o.qemu_arg
            if shutil.which(cmd[0]) is None:
                raise UsageError('%s not found (run tools/deps install)'
                                 % cmd[0])
        except UsageError as e:
            print('FAIL %s: %s' % (label, e), flush=True)
            return 2
        if o.interactive:
            return interactive(o, cmd)

        log = None
        if o.log:
            os.makedirs(os.path.dirname(os.path.abspath(o.log)), exist_ok=True)
            log = open(o.log, 'w')
            log.write('# %s\n' % shlex.join(cmd))
        con = Console(o.idle_text)
        typed = list(o.typed)

        def on_line(line):
            con.feed(line)
            # The guest asks for the next input: it is ready to read it.
            # Or, with --prompt, a program's prompt is.
            ready = line.strip() == TYPE_TEXT or (o.prompt and at_prompt(line, o.prompt))
            reply = typed.pop(0) if typed and ready else None
            if reply and o.type_late:
                time.sleep(o.type_late)
            if log:
                log.write(con.lines[-1] + '\n')
                log.flush()
            if o.verbose:
                print(con.lines[-1], flush=True)
            return reply

        try:
            timed_out, code, secs = run_console(
                cmd, o.timeout, on_line, lambda: should_stop(con, o.expect),
                typing=bool(o.typed),
                prompt=o.prompt.encode() if o.prompt else None)
        finally:
            if log:
                log.close()

    v = judge(con, o.expect, o.arch, timed_out, o.timeout, code,
              o.expect_text, o.exit_status)
    if v.ok:
        print('PASS %s (%s, %.1f s)' % (label, v.detail, secs), flush=True)
        return 0
    counts = ('%d passed, %d failed, ' % (v.passed, v.failed)
              if v.passed is not None else '')
    print('FAIL %s (%s%.1f s): %s' % (label, counts, secs, v.reason))
    print('command: %s' % shlex.join(cmd))
    if not o.verbose:
        tail = con.lines[-TAIL_LINES:]
        print('--- last %d console lines%s ---'
              % (len(tail), ' (all in %s)' % o.log if o.log else ''))
        for line in tail:
            print(line)
        print('--- end of console ---')
    sys.stdout.flush()
    return 1
