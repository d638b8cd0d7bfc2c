"""``python -m week10_cloud``: settings, land, score, check-manifests, bench.

Without ``AWS_ENDPOINT_URL`` (and ``WEEK10_ENDPOINT_URL``) set, the storage commands start
moto's S3 server on 127.0.0.1 for the length of the command (an embedded default that forgets
everything on exit); set the endpoint to use MinIO, or unset it and give credentials for AWS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.table import Table

from week10_cloud.settings import Settings, describe_settings, get_settings

app = typer.Typer(help="Week 10: object storage, settings, manifests and Spark scoring.")
console = Console()
log = logging.getLogger(__name__)

Day = Annotated[str | None, typer.Option("--day", help="one date, 2013-09-01")]
Month = Annotated[str | None, typer.Option("--month", help="one month, 2013-09")]
Year = Annotated[str | None, typer.Option("--year", help="one year, 2013")]


@app.callback()
def _logging(verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
    )
    for noisy in ("botocore", "boto3", "s3transfer", "urllib3", "werkzeug", "py4j"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@contextmanager
def _bucket(settings: Settings) -> Iterator[tuple[Settings, Any]]:
    """``(settings, client)`` with the bucket created; moto on 127.0.0.1 when no endpoint."""
    from week10_cloud.emulator import FAKE_CREDENTIALS, s3_emulator
    from week10_cloud.storage import ensure_bucket, make_client

    if settings.endpoint_url or settings.access_key_id:
        client = make_client(settings)
        ensure_bucket(client, settings.bucket)
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


def _secret(value: str) -> Any:
    from pydantic import SecretStr

    return SecretStr(value)


@app.command("settings")
def show_settings() -> None:
    """Print the settings this process would use (secrets masked)."""
    table = Table("setting", "value", title="week10 settings")
    for name, value in describe_settings(get_settings()).items():
        table.add_row(name, value)
    console.print(table)


@app.command()
def land(day: Day = None, month: Month = None, year: Year = None) -> None:
    """Land raw flights in the bucket's raw zone (one partition per date) and list them."""
    from week10_cloud.keys import month_prefix
    from week10_cloud.scoring import days_of
    from week10_cloud.storage import land_raw, list_keys

    days = days_of(day, month, year)
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
    from week10_cloud.scoring import load_pipeline, publish_features, score_days
    from week10_cloud.spark_scoring import spark_session

    days = days_of_cli(day, month, year)
    base = get_settings(model_uri=model, spark_master=master)
    pipeline, version = load_pipeline(base.model_uri)
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


def days_of_cli(day: str | None, month: str | None, year: str | None) -> list[Any]:
    from week10_cloud.scoring import days_of

    try:
        return days_of(day, month, year)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command("check-manifests")
def check_manifests_command(
    folder: Annotated[Path | None, typer.Argument(help="default: week10-cloud/k8s")] = None,
    version: Annotated[str | None, typer.Option(help="Kubernetes version")] = None,
) -> None:
    """Validate the manifests strictly and cross-check them; exit 1 naming each problem."""
    from week10_cloud.manifests import KUBERNETES_VERSION, MANIFEST_DIR, check_manifests

    problems = check_manifests(folder or MANIFEST_DIR, version or KUBERNETES_VERSION)
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

    settings = get_settings(spark_master=master)
    rows = run_bench([int(f) for f in factors.split(",")], settings, month or None, console=console)
    if markdown:
        console.print(markdown_table(rows), highlight=False, markup=False)
