"""scripts/check_commit_subjects.py on a throwaway git repository."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_commit_subjects.py"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Nguyễn Văn Kiểm",
    "GIT_AUTHOR_EMAIL": "kiem@example.vn",
    "GIT_COMMITTER_NAME": "Nguyễn Văn Kiểm",
    "GIT_COMMITTER_EMAIL": "kiem@example.vn",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture
def repo(tmp_path):
    path = tmp_path / "repo"
    path.mkdir()
    env = {**os.environ, **GIT_ENV}

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=path, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    def commit(subject, body=""):
        message = subject + (f"\n\n{body}" if body else "")
        git("commit", "--allow-empty", "-q", "-m", message)
        return git("rev-parse", "--short", "HEAD")

    git("init", "-q", "-b", "main")
    return path, git, commit


def run(path, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=path, capture_output=True, text=True, check=False
    )


def test_subjects_of_72_characters_pass_even_with_long_bodies(repo):
    path, _git, commit = repo
    base = commit("x" * 200)  # before the base: history, not checked
    commit("a" * 72)
    commit("Hồ sơ: " + "ệ" * 65, body="chi tiết " * 40)  # 72 characters, more bytes
    result = run(path, base)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_a_subject_over_72_characters_fails_and_is_named(repo):
    path, _git, commit = repo
    base = commit("Khởi tạo")
    commit("ok")
    long_subject = "Tiếp nhận hồ sơ: " + "đ" * 56  # 73 characters
    sha = commit(long_subject)
    commit("also ok")
    result = run(path, base)
    assert result.returncode == 1
    assert result.stdout == f"{sha} 73: {long_subject}\n"
    assert "1 of 3 commit subjects" in result.stderr


def test_the_head_argument_limits_the_range(repo):
    path, git, commit = repo
    base = commit("base")
    middle = commit("short")
    commit("y" * 80)
    assert run(path, base, middle).returncode == 0
    assert run(path, base).returncode == 1
    assert run(path, base, "HEAD", "--max", "80").returncode == 0


def test_an_unknown_base_is_an_error_not_a_pass(repo):
    path, _git, commit = repo
    commit("base")
    result = run(path, "ccc26f0")
    assert result.returncode == 2
    assert "failed" in result.stderr
