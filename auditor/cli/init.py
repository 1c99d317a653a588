"""`auditor init`: a commented starter auditor.yaml."""

from __future__ import annotations

import click


@click.command()
@click.option("--path", "path", default="auditor.yaml", show_default=True, help="Where to write it.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented starter auditor.yaml."""
    from auditor.cli.commands import write_starter

    try:
        write_starter(path, force=force)
    except FileExistsError:
        raise click.UsageError(f"{path} 已存在；要覆盖它请加 --force") from None
    click.echo(f"已生成 {path}：文件中逐项注释了每个设置；`auditor rules` 列出全部规则编号")
