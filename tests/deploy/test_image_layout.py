"""The function images' file layout, without a container engine: replay deploy/function/Dockerfile's build
stage (its COPY and RUN lines, package installs skipped) into a temporary root, from both build contexts it
serves — faas-cli's `lang: dockerfile` context and compose.yaml's repository-root context — with each
function's build args, then import the function by the name the image's CMD gives gunicorn, with only the
image's /app on the path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from functions import ALL_FUNCTIONS
from tests.deploy.nginx import ROOT

IMAGE_PATHS = re.compile(r"(?<![\w.])/(src|app|opt)(?=[/\"' ]|$)")


def instructions(dockerfile: str) -> list[str]:
    """The instructions of the first (build) stage, continuation lines joined, comments dropped."""
    lines = [line for line in dockerfile.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    stage, seen_from = [], 0
    for line in filter(None, (raw.strip() for raw in joined.splitlines())):
        seen_from += line.startswith("FROM ")
        if seen_from == 1:
            stage.append(line)
        elif seen_from > 1:
            break
    return stage


def replay(dockerfile: Path, context: Path, root: Path, build_args: dict[str, str]) -> None:
    args: dict[str, str] = {}
    for line in instructions(dockerfile.read_text()):
        keyword, _, rest = line.partition(" ")
        expand = lambda text: re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), text)  # noqa: E731
        if keyword == "ARG":
            name, _, default = rest.partition("=")
            args[name] = build_args.get(name, default)
        elif keyword == "COPY" and not rest.startswith("--from"):
            *sources, target = expand(rest).split()
            for source in sources:
                src, dst = context / source, root / target.lstrip("/")
                if src.is_dir():
                    shutil.copytree(src, dst, dirs_exist_ok=True)
                else:
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(src, dst)
        elif keyword == "RUN" and "pip install" not in rest and "-m venv" not in rest:
            command = rest.replace("/opt/venv/bin/python", sys.executable)
            command = IMAGE_PATHS.sub(lambda m: f"{root}/{m.group(1)}", command)
            (root / "opt" / "venv" / "lib").mkdir(parents=True, exist_ok=True)
            subprocess.run(["sh", "-euc", command], check=True, env={**os.environ, **args}, timeout=120)


def faas_cli_context(function: str, target: Path) -> tuple[Path, dict[str, str]]:
    """What `faas-cli build` prepares for a `lang: dockerfile` function: the handler folder's files at the
    root, and each `configuration.copy` path at its own relative path; and the function's build args.
    (realtime runs outside OpenFaaS, so it is checked as it would be if stack.yml listed it.)"""
    stack = yaml.safe_load((ROOT / "stack.yml").read_text())
    fn = stack["functions"].get(function, {"handler": "./deploy/function", "build_args": {"FUNCTION": function}})
    shutil.copytree(ROOT / fn["handler"], target, ignore=shutil.ignore_patterns("__pycache__", "build", "template"))
    for extra in stack["configuration"]["copy"]:
        shutil.copytree(ROOT / extra, target / extra, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return target, {k: str(v) for k, v in fn["build_args"].items()}


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "__pycache__")


def import_like_the_image(app_root: Path, function: str) -> str:
    code = (f"import functions, functions.{function}.app as m; assert callable(m.create_app); "
            "print(functions.__file__)")
    env = {**os.environ, "PYTHONPATH": str(app_root), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd="/", env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("function", ["auth", "downloads", "realtime"])
def test_faas_cli_context_lays_out_an_importable_function(function: str, tmp_path: Path) -> None:
    context, build_args = faas_cli_context(function, tmp_path / "context")
    root = tmp_path / "image"
    replay(context / "Dockerfile", context, root, build_args)
    app = root / "app"
    assert listing(app / "functions") == ["__init__.py", function]
    installed = app / "functions" / function
    assert (installed / "app.py").is_file()
    assert not {"shared", "deploy", "Dockerfile"} & {p.name for p in installed.iterdir()}
    assert (app / "deploy" / "gunicorn.conf.py").read_text() == (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    # compiled at build time: the read-only root filesystem cannot take bytecode at run time
    assert list((installed / "__pycache__").glob("app.cpython-*.pyc"))
    assert import_like_the_image(app, function) == str(app / "functions" / "__init__.py")


@pytest.mark.parametrize("function", ALL_FUNCTIONS)
def test_compose_context_lays_out_the_same_image(function: str, tmp_path: Path) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    build = compose["services"][function]["build"]
    root = tmp_path / "image"
    replay(ROOT / build["dockerfile"], ROOT / build["context"], root, build.get("args", {}))
    app = root / "app"
    assert listing(app / "functions") == ["__init__.py", function]
    assert (app / "functions" / function / "app.py").is_file()
    assert import_like_the_image(app, function) == str(app / "functions" / "__init__.py")


def test_a_build_that_names_no_function_stops_at_once(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError):
        replay(ROOT / "deploy" / "function" / "Dockerfile", ROOT, tmp_path / "image", {})
    assert not (tmp_path / "image" / "src").exists()  # nothing was copied before it stopped
