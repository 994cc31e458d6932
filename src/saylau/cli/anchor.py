"""`saylau key create|list`, `saylau checkpoint sign|list`: the anchors of the audit log
(docs/audit.md, "Anchoring the head"); `saylau bundle export`: the published record for
observers (docs/observer-bundle.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.common import DbOption, JsonOption, now, print_json, read_private_key, service_call
from saylau.cli.language import _, number

if TYPE_CHECKING:
    pass

key_app = typer.Typer(
    help="Commissions' Ed25519 keys for signed checkpoints.", no_args_is_help=True
)
checkpoint_app = typer.Typer(
    help="Signed checkpoints: a commission's signature over the log's head.", no_args_is_help=True
)
bundle_app = typer.Typer(
    help="The observer bundle: the published record, checkable offline.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(key_app, name="key")
    app.add_typer(checkpoint_app, name="checkpoint")
    app.add_typer(bundle_app, name="bundle")


KeyFileOption = Annotated[
    Path,
    typer.Option("--key", help="The commission's private key file (written by saylau key create)."),
]


@key_app.command("create")
def key_create(
    commission: Annotated[
        str,
        typer.Option(help="The commission: its id, its territory's KATO, its name, or 'cec'."),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write the private key (mode 0600).")
    ],
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """A new key pair for a commission: the public key is stored (and published); the private
    key is written to a new file that only the commission keeps."""
    from saylau.audit.checkpoint import private_key_pem, public_key_hex
    from saylau.services import checkpoints, resolve
    from saylau.services.errors import Conflict, InvalidInput

    with service_call(db, json_) as session:
        principal = authenticate(session, as_user)
        if output.exists():
            raise Conflict(f"{output} exists: a key file is never overwritten")
        commission_id = resolve.find_commission(session=session, ref=commission)
        # The file is created first, 0600 and only if new, so that a key is not stored for a
        # file that cannot be written; it is removed again when storing the public key fails.
        try:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise Conflict(f"{output} exists: a key file is never overwritten") from None
        except OSError as error:
            raise InvalidInput(f"-o {output}: {error.strerror or error}") from None
        try:
            keys = checkpoints.create_keys(
                session=session,
                principal=principal,
                commission_ids=[commission_id],
                now=now(),
            )
            key = keys[commission_id]
            os.write(fd, private_key_pem(key))
        except BaseException:
            os.close(fd)
            output.unlink()
            raise
        os.close(fd)
    public = public_key_hex(key)
    if json_:
        print_json(
            {"commission_id": commission_id, "public_key": public, "private_key_file": str(output)}
        )
        return
    sys.stdout.write(
        _("public key %(public)s\nprivate key written to %(file)s (mode 0600)")
        % {"public": public, "file": output}
        + "\n"
    )


@key_app.command("list")
def key_list(db: DbOption = None, json_: JsonOption = False) -> None:
    """Every commission's public keys (what observers check checkpoints with)."""
    from saylau.services import checkpoints

    with service_call(db, json_) as session:
        keys = checkpoints.list_keys(session=session)
    if json_:
        print_json(keys)
        return
    for k in keys:
        sys.stdout.write(f"{k.id}\t{k.public_key}\t{k.commission}\n")


@checkpoint_app.command("sign")
def checkpoint_sign(
    key: KeyFileOption,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """The key's commission signs the log's current head, with its name and the time."""

    from saylau.services import checkpoints

    with service_call(db, json_) as session:
        done = checkpoints.sign_checkpoint(
            session=session,
            principal=authenticate(session, as_user),
            key=read_private_key(key),
            now=now(),
        )
    if json_:
        print_json(done)
        return
    sys.stdout.write(
        _("checkpoint %(id)s: %(commission)s signed head %(head)s")
        % {"id": done.id, "commission": done.commission, "head": done.head}
        + "\n"
    )


@checkpoint_app.command("list")
def checkpoint_list(db: DbOption = None, json_: JsonOption = False) -> None:
    """Every stored checkpoint: who signed which head, when."""
    from saylau.services import checkpoints

    with service_call(db, json_) as session:
        found = checkpoints.list_checkpoints(session=session)
    if json_:
        print_json(found)
        return
    for c in found:
        sys.stdout.write(f"{c.id}\t{c.head}\t{c.signed_at.isoformat()}\t{c.commission}\n")


@bundle_app.command("export")
def bundle_export(
    output: Annotated[Path, typer.Option("-o", "--output", help="The zip file to write.")],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Write the published record (audit entries, published states, keys, checkpoints) to a
    zip that `python -m saylau.audit.verify_bundle` checks offline."""
    from saylau.services.bundle import export_bundle
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        try:
            done = export_bundle(session=session, path=output)
        except OSError as error:
            raise InvalidInput(f"-o {output}: {error.strerror or error}") from None
    if json_:
        print_json(done)
        return
    sys.stdout.write(
        _(
            "wrote %(path)s: %(entries)s entries up to head %(seq)s:%(hash)s, %(states)s"
            " published states (%(keys)s keys, %(checkpoints)s checkpoints)"
        )
        % {
            "path": done.path,
            "entries": number(done.num_entries),
            "seq": done.head_seq,
            "hash": done.head_hash,
            "states": number(done.num_states),
            "keys": number(done.num_keys),
            "checkpoints": number(done.num_checkpoints),
        }
        + "\n"
    )
