"""`voice-interviewer devices`: the audio input and output devices, with their indexes."""
from __future__ import annotations

HELP = "list microphones and speakers (use the index or name with --input-device / --output-device)"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="as JSON")


def run(args) -> int:
    import json

    from voice_interviewer.capture import list_devices
    from voice_interviewer.errors import UserError

    try:
        devices = list_devices()
    except Exception as exc:
        raise UserError(f"cannot list audio devices ({str(exc).splitlines()[0]})", 2) from None
    if args.json:
        print(json.dumps(devices, indent=2))
        return 0
    if not devices:
        print("no audio devices found")
        return 1
    for d in devices:
        kinds = ", ".join(k for k, n in (("input", d["inputs"]), ("output", d["outputs"])) if n)
        default = " ".join(x for x, f in (("default input", d["default_input"]), ("default output", d["default_output"])) if f)
        print(f"{d['index']:3}  {d['name']}  ({kinds}, {d['default_samplerate']:.0f} Hz){'  [' + default + ']' if default else ''}")
    return 0
