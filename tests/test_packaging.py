"""The package installs the way users install Python tools, not only as the editable copy setup.sh makes:
every package and data file under voice_interviewer/ is listed for the wheel. (.ci/run also builds the
wheel, installs it in a fresh virtual environment and runs it.)"""
import fnmatch
import subprocess
import tomllib

from conftest import ROOT


def setuptools_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def package_dirs() -> dict[str, str]:
    """package name -> folder, as the wheel will map them"""
    cfg = setuptools_config()
    dirs = cfg.get("package-dir", {})
    return {name: dirs.get(name, name.replace(".", "/")) for name in cfg["packages"]}


def tracked_files() -> list[str]:
    r = subprocess.run(["git", "ls-files", "voice_interviewer", "prompts"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode == 0 and r.stdout.strip():
        return r.stdout.split()
    return [str(p.relative_to(ROOT)) for d in ("voice_interviewer", "prompts") for p in (ROOT / d).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts]


def test_every_package_is_listed():
    listed = set(package_dirs().values())
    on_disk = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "voice_interviewer").rglob("__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(on_disk - listed)}"


def test_every_data_file_ships():
    folders = {folder: name for name, folder in package_dirs().items()}
    data = setuptools_config().get("package-data", {})
    missing = []
    for f in tracked_files():
        if f.endswith(".py"):
            continue
        parts = f.split("/")
        # the package holding the file: the deepest listed folder above it
        for k in range(len(parts) - 1, 0, -1):
            folder = "/".join(parts[:k])
            if folder in folders:
                rel = "/".join(parts[k:])
                patterns = data.get(folders[folder], []) + data.get("*", [])
                if not any(fnmatch.fnmatch(rel, p) for p in patterns):
                    missing.append(f)
                break
        else:
            missing.append(f)
    assert not missing, f"not in the wheel (add to [tool.setuptools.package-data]): {missing}"
