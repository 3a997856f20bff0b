#!/usr/bin/env python3
"""Linux baseline for `make bench`: the same operations Muon is measured on,
counted in retired instructions on Debian bookworm's own kernel under QEMU TCG.

    python3 tools/bench/linux.py --arch x86_64|aarch64 [--json OUT] [-v]

Steps: fetch (once) the newest linux-image-6.1.0-N-<arch>-unsigned from
bookworm main and keep only its kernel image; build tests/bench/linux/lbench.c
as a static freestanding /init; pack it into a newc cpio initramfs; boot it
with -icount shift=0,sleep=off (1 ns of virtual time per retired
instruction, as the Muon side is counted); parse the LBENCH lines it prints.

Importable: run(arch, verbose=False) returns {op: {"median", "min", "max",
"iters", "batches"}, ..., "_kernel": "<release>"}, in instructions per
operation. Everything cached lives in build/bench/linux/<arch>/.
Python standard library only; gpgv (Debian's default install) checks the
archive signature when present.
"""

import argparse
import gzip
import hashlib
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "tests" / "bench" / "linux" / "lbench.c"
CACHE = REPO / "build" / "bench" / "linux"

MIRROR = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
SUITE = "bookworm"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
TIMEOUT = 300  # seconds for one boot; a normal run takes well under a minute

# Operations lbench prints, in order; "loop" must come out at 2 per turn.
OPS = ("loop", "getppid", "pipe", "futex", "unix", "openread", "shm")
LOOP_EXPECTED = 2.0
LOOP_TOLERANCE = 0.01

CFLAGS = [
    "-O2", "-static", "-nostdlib", "-ffreestanding", "-fno-pie", "-no-pie",
    "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
    "-Wall", "-Wextra", "-Werror", "-Wl,--build-id=none",
]

# Kernel command line common to both arches:
#  quiet     - keep the console short; lbench's lines are what we parse.
#  panic=-1  - if /init ever dies, reboot at once; -no-reboot turns that into
#              a QEMU exit instead of a hang until the timeout.
#  nokaslr   - same kernel layout every boot, for run-to-run determinism.
# Everything else (mitigations, LSMs, preemption model) is Debian's default.
APPEND = "quiet panic=-1 nokaslr"

ARCHES = {
    "x86_64": {
        "deb_arch": "amd64",
        "cc": "gcc",
        "cc_package": "gcc",
        "qemu": ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
                 "-m", "512", "-smp", "1", "-nographic", "-no-reboot",
                 "-icount", "shift=0,sleep=off",
                 # the RTC follows virtual time, not the host's clock
                 "-rtc", "clock=vm"],
        "console": "ttyS0",
    },
    "aarch64": {
        "deb_arch": "arm64",
        "cc": "aarch64-linux-gnu-gcc",
        "cc_package": "gcc-aarch64-linux-gnu",
        "qemu": ["qemu-system-aarch64", "-accel", "tcg", "-M", "virt",
                 "-cpu", "cortex-a72", "-m", "512", "-smp", "1",
                 "-nographic", "-no-reboot",
                 "-icount", "shift=0,sleep=off",
                 # a fixed seed fills the DTB's rng-seed: without it the
                 # guest RNG is not ready and every syscall pays for entropy
                 "-seed", "1"],
        "console": "ttyAMA0",
    },
}


class BenchError(Exception):
    """A step failed; the message says which and why."""


def log(verbose, msg):
    if verbose:
        print(f"[linux-bench] {msg}", file=sys.stderr, flush=True)


# ---- fetching the Debian kernel ----

def download(url, dest, verbose, sha256=None):
    """Downloads url to dest (atomically), checking sha256 when given."""
    log(verbose, f"GET {url}")
    tmp = dest.with_name(dest.name + ".part")
    h = hashlib.sha256()
    last = None
    for attempt in range(3):
        try:
            with urllib.request.urlopen(url, timeout=60) as r, \
                    open(tmp, "wb") as f:
                h = hashlib.sha256()
                while True:
                    chunk = r.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
                    f.write(chunk)
            break
        except OSError as e:
            last = e
            log(verbose, f"attempt {attempt + 1} failed: {e}")
            time.sleep(2)
    else:
        raise BenchError(f"cannot download {url}: {last}")
    if sha256 and h.hexdigest() != sha256:
        tmp.unlink()
        raise BenchError(f"SHA256 mismatch for {url}: "
                         f"got {h.hexdigest()}, expected {sha256}")
    tmp.replace(dest)
    return dest.stat().st_size


def release_text(work, verbose):
    """The suite's InRelease, signature-checked with gpgv when possible."""
    path = work / "InRelease"
    download(f"{MIRROR}/dists/{SUITE}/InRelease", path, verbose)
    if shutil.which("gpgv") and os.path.exists(KEYRING):
        p = subprocess.run(["gpgv", "--keyring", KEYRING, "--output", "-",
                            str(path)], capture_output=True)
        if p.returncode != 0:
            raise BenchError("InRelease signature check failed:\n"
                             + p.stderr.decode(errors="replace"))
        return p.stdout.decode()
    print("linux.py: warning: gpgv or debian-archive-keyring missing; "
          "archive signature not checked", file=sys.stderr)
    text = path.read_text()
    # keep only the clearsigned body
    m = re.search(r"\n\n(.*?)\n-----BEGIN PGP SIGNATURE", text, re.S)
    return m.group(1) if m else text


def find_kernel_package(work, deb_arch, verbose):
    """Newest linux-image-6.1.0-N-<arch>-unsigned in bookworm main."""
    rel = release_text(work, verbose)
    name = f"main/binary-{deb_arch}/Packages.xz"
    m = re.search(r"^ ([0-9a-f]{64})\s+\d+\s+" + re.escape(name) + r"$",
                  rel, re.M)
    if not m:
        raise BenchError(f"{name} not listed in {SUITE} InRelease")
    idx = work / "Packages.xz"
    size = download(f"{MIRROR}/dists/{SUITE}/{name}", idx, verbose,
                    m.group(1))
    pat = re.compile(r"linux-image-(6\.1\.0-(\d+))-" + deb_arch
                     + r"-unsigned")
    best = None
    with lzma.open(idx, "rt", encoding="utf-8") as f:
        for stanza in f.read().split("\n\n"):
            fields = dict(re.findall(r"^([A-Za-z0-9-]+): (.*)$", stanza,
                                     re.M))
            pm = pat.fullmatch(fields.get("Package", ""))
            if pm and (best is None or int(pm.group(2)) > best[0]):
                best = (int(pm.group(2)), fields)
    idx.unlink()
    if best is None:
        raise BenchError(f"no linux-image-6.1.0-*-{deb_arch}-unsigned "
                         f"in {SUITE} main")
    return best[1], size


class _Slice:
    """A read-only window on a file, for streaming one ar member."""

    def __init__(self, f, size):
        self.f, self.left = f, size

    def read(self, n=-1):
        if n < 0 or n > self.left:
            n = self.left
        data = self.f.read(n)
        self.left -= len(data)
        return data


def extract_vmlinuz(deb):
    """Returns (name, bytes) of boot/vmlinuz-* inside a .deb (an ar file
    holding data.tar.xz); stops decompressing once it is found."""
    with open(deb, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise BenchError(f"{deb}: not a .deb (ar) file")
        while True:
            hdr = f.read(60)
            if len(hdr) < 60:
                raise BenchError(f"{deb}: no data.tar member")
            name = hdr[:16].decode().strip().rstrip("/")
            size = int(hdr[48:58])
            if name.startswith("data.tar"):
                comp = {"data.tar.xz": "xz", "data.tar.gz": "gz",
                        "data.tar": ""}.get(name)
                if comp is None:
                    raise BenchError(f"{deb}: unsupported member {name}")
                mode = "r|" + comp if comp else "r|"
                with tarfile.open(fileobj=_Slice(f, size), mode=mode) as tf:
                    for m in tf:
                        base = os.path.basename(m.name)
                        if m.isfile() and re.fullmatch(
                                r"\./boot/vmlinuz-.*|boot/vmlinuz-.*",
                                m.name):
                            return base, tf.extractfile(m).read()
                raise BenchError(f"{deb}: no boot/vmlinuz-*")
            f.seek(size + (size & 1), os.SEEK_CUR)


def fetch_kernel(arch, verbose=False):
    """The cached kernel image for arch, fetching it on first use.
    Returns (path, meta) where meta records what was fetched."""
    cfg = ARCHES[arch]
    out = CACHE / arch
    meta_path = out / "kernel.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        image = out / meta["image"]
        if image.exists() and \
                hashlib.sha256(image.read_bytes()).hexdigest() == \
                meta["image_sha256"]:
            log(verbose, f"cached kernel {meta['release']} "
                         f"({meta['package']} {meta['version']})")
            return image, meta
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        work = Path(tmp)
        fields, idx_size = find_kernel_package(work, cfg["deb_arch"],
                                               verbose)
        deb = work / "kernel.deb"
        deb_size = download(f"{MIRROR}/{fields['Filename']}", deb, verbose,
                            fields["SHA256"])
        name, data = extract_vmlinuz(deb)
    release = name[len("vmlinuz-"):]
    if arch == "aarch64":
        # Debian's arm64 vmlinuz is a gzipped Image; QEMU -kernel wants it raw
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if data[56:60] != b"ARM\x64":
            raise BenchError(f"{name}: not an arm64 Image")
        image = out / "Image"
    else:
        if data[0x202:0x206] != b"HdrS":
            raise BenchError(f"{name}: not a bzImage")
        image = out / "vmlinuz"
    image.write_bytes(data)
    meta = {
        "release": release,
        "package": fields["Package"],
        "version": fields["Version"],
        "deb_sha256": fields["SHA256"],
        "download_bytes": idx_size + deb_size,
        "image": image.name,
        "image_sha256": hashlib.sha256(data).hexdigest(),
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    log(verbose, f"fetched {meta['package']} {meta['version']}: "
                 f"{meta['download_bytes']} bytes downloaded")
    return image, meta


# ---- building /init and the initramfs ----

def build_lbench(arch, verbose=False):
    cfg = ARCHES[arch]
    if not shutil.which(cfg["cc"]):
        raise BenchError(f"{cfg['cc']} not found "
                         f"(apt-get install {cfg['cc_package']})")
    out = CACHE / arch / "lbench"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [cfg["cc"], *CFLAGS, "-o", str(out), str(SOURCE)]
    log(verbose, " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise BenchError(f"building lbench failed:\n{p.stderr}")
    return out


def cpio_newc(entries):
    """A newc cpio archive from (name, mode, data, rdev_major, rdev_minor)
    tuples; fixed mtimes and owners so the same input gives the same bytes."""
    out = bytearray()

    def pad4():
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (name, mode, data, rmaj, rmin) in enumerate(
            entries + [("TRAILER!!!", 0, b"", 0, 0)], start=1):
        nameb = name.encode() + b"\0"
        nlink = 2 if mode & 0o170000 == 0o040000 else 1
        fields = (ino if name != "TRAILER!!!" else 0, mode, 0, 0, nlink, 0,
                  len(data), 0, 0, rmaj, rmin, len(nameb), 0)
        out += b"070701" + b"".join(b"%08X" % v for v in fields)
        out += nameb
        pad4()
        out += data
        pad4()
    return bytes(out)


def build_initrd(arch, init_path):
    entries = [
        ("dev", 0o040755, b"", 0, 0),
        ("dev/console", 0o020600, b"", 5, 1),  # /init's stdout
        ("dev/shm", 0o040755, b"", 0, 0),      # tmpfs for the shm row
        ("sys", 0o040755, b"", 0, 0),          # lbench reads the clocksource
        ("init", 0o100755, init_path.read_bytes(), 0, 0),
    ]
    out = CACHE / arch / "initrd.cpio"
    out.write_bytes(cpio_newc(entries))
    return out


# ---- booting and parsing ----

def boot(arch, image, initrd, verbose=False, timeout=TIMEOUT):
    cfg = ARCHES[arch]
    cmd = [*cfg["qemu"], "-kernel", str(image), "-initrd", str(initrd),
           "-append", f"console={cfg['console']} {APPEND}"]
    if not shutil.which(cmd[0]):
        raise BenchError(f"{cmd[0]} not found")
    log(verbose, " ".join(cmd))
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    expired = threading.Event()

    def kill():
        expired.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    lines = []
    try:
        for raw in proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            lines.append(line)
            if verbose:
                print(f"  | {line}", file=sys.stderr, flush=True)
        proc.wait()
    finally:
        timer.cancel()
    text = "\n".join(lines) + "\n"
    (CACHE / arch / "console.log").write_text(text)
    if expired.is_set():
        raise BenchError(f"QEMU did not finish within {timeout} s "
                         f"(console in {CACHE / arch / 'console.log'})")
    return text, proc.returncode


LINE = re.compile(r"LBENCH (\w+) median=([\d.]+) min=([\d.]+) max=([\d.]+) "
                  r"iters=(\d+) batches=(\d+)")


def parse(arch, text, rc):
    where = f"(console in {CACHE / arch / 'console.log'})"
    err = re.search(r"LBENCH-ERROR .*", text)
    if err:
        raise BenchError(f"guest reported: {err.group(0)} {where}")
    res = {}
    for m in LINE.finditer(text):
        res[m.group(1)] = {"median": float(m.group(2)),
                           "min": float(m.group(3)),
                           "max": float(m.group(4)),
                           "iters": int(m.group(5)),
                           "batches": int(m.group(6))}
    missing = [op for op in OPS if op not in res]
    if missing or "LBENCH-DONE" not in text:
        tail = "\n".join(text.splitlines()[-15:])
        raise BenchError(f"missing results {missing or ['LBENCH-DONE']} "
                         f"(QEMU exit {rc}) {where}; last lines:\n{tail}")
    info = re.search(r"LBENCH-INFO release=(\S*) clocksource=(\S*)", text)
    if info:
        res["_kernel"] = info.group(1)
        res["_clocksource"] = info.group(2)
    loop = res["loop"]["median"]
    if abs(loop - LOOP_EXPECTED) > LOOP_EXPECTED * LOOP_TOLERANCE:
        raise BenchError(f"method check failed: the 2-instruction loop "
                         f"measured {loop:.2f} per turn, not 2.00; "
                         f"the clock is not counting instructions {where}")
    return res


def run(arch, verbose=False):
    """Fetches, builds and boots; returns {op: stats, "_kernel": release}."""
    if arch not in ARCHES:
        raise BenchError(f"unknown arch {arch!r} (x86_64 or aarch64)")
    image, meta = fetch_kernel(arch, verbose)
    init = build_lbench(arch, verbose)
    initrd = build_initrd(arch, init)
    text, rc = boot(arch, image, initrd, verbose)
    res = parse(arch, text, rc)
    res.setdefault("_kernel", meta["release"])
    res["_package"] = f"{meta['package']} {meta['version']}"
    return res


def table(arch, res):
    rows = [f"Linux {res['_kernel']} ({arch}, {res.get('_package', '')}), "
            f"instructions per operation (round trip for IPC)",
            f"{'op':<10}{'median':>12}{'min':>12}{'max':>12}"
            f"{'iters':>10}{'batches':>9}"]
    for op, s in res.items():
        if op.startswith("_"):
            continue
        rows.append(f"{op:<10}{s['median']:>12,.2f}{s['min']:>12,.2f}"
                    f"{s['max']:>12,.2f}{s['iters']:>10}{s['batches']:>9}")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", required=True, choices=sorted(ARCHES))
    ap.add_argument("--json", metavar="OUT", help="also write results here")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="show commands, downloads and the guest console")
    args = ap.parse_args()
    t0 = time.monotonic()
    try:
        res = run(args.arch, args.verbose)
    except BenchError as e:
        print(f"linux.py: error: {e}", file=sys.stderr)
        return 1
    print(table(args.arch, res))
    print(f"(loop check passed; {time.monotonic() - t0:.1f} s wall)")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
