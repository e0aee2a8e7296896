"""The whole command line: the root (``cli/root.py``) and every command, one command group per
module. ``backstride.cli.app`` is this ``app``."""

from __future__ import annotations

from backstride.cli import activity as activity_cmds
from backstride.cli import checkin as checkin_cmds
from backstride.cli import clearance as clearance_cmds
from backstride.cli import data as data_cmds
from backstride.cli import measure as measure_cmds
from backstride.cli import pain as pain_cmds
from backstride.cli import plan as plan_cmds
from backstride.cli import profile as profile_cmds
from backstride.cli import route as route_cmds
from backstride.cli import routine as routine_cmds
from backstride.cli import screen as screen_cmds
from backstride.cli import selftest as selftest_cmds
from backstride.cli import shoes as shoes_cmds
from backstride.cli import users as user_cmds
from backstride.cli.config import config_app
from backstride.cli.database import db_app
from backstride.cli.demo import demo_command
from backstride.cli.importing import import_command
from backstride.cli.load import load_command
from backstride.cli.log import log_command
from backstride.cli.report import report_command
from backstride.cli.root import add_today, root_app
from backstride.cli.serve import serve_command
from backstride.cli.worker import worker_command

app = root_app()
app.command("import", help="Import activity files, folders, or Strava/Garmin export archives.")(
    import_command
)
app.command("log", help="Log a run or cross-training session by hand (no file needed).")(
    log_command
)
app.command("demo", help="Import the bundled demo athlete into a separate demo database.")(
    demo_command
)
app.command("serve", help="Serve the local web dashboard (http://127.0.0.1:8765).")(serve_command)
app.command("worker", help="Server mode: run the background imports and report PDFs.")(
    worker_command
)
app.command("load", help="Weekly totals, each run's spike and the daily load series.")(load_command)
app.add_typer(activity_cmds.app, name="activity", help="List, show, edit and delete activities.")
app.add_typer(config_app, name="config", help="Show the effective settings.")
app.add_typer(db_app, name="db", help="The database: bring its schema up to date.")
app.add_typer(profile_cmds.app, name="profile", help="Your profile and conditions.")
app.command("screen", help="Answer the pre-participation health screen.")(
    screen_cmds.screen_command
)
app.add_typer(clearance_cmds.app, name="clearance", help="Record a physician's clearance.")
app.add_typer(selftest_cmds.app, name="selftest", help="Core and flexibility self-tests.")
app.add_typer(pain_cmds.pain_app, name="pain", help="The pain diary and red-flag checks.")
app.command("checkin", help="A quick pain check-in.")(checkin_cmds.checkin_command)
app.add_typer(shoes_cmds.app, name="shoes", help="Shoes: distance, wear, defaults, rotation.")
app.add_typer(plan_cmds.app, name="plan", help="The gradual run/walk plan that adapts to pain.")
app.add_typer(routine_cmds.app, name="routine", help="Warm-up, stretch, core, mobility routines.")
add_today(app)
app.add_typer(route_cmds.app, name="route", help="Saved routes and how taxing they are.")
app.add_typer(measure_cmds.app, name="measure", help="Outcome measures: PEG, PSFS, walking test.")
app.command("report", help="A report to take to your physiotherapist or physician.")(report_command)
app.command("export", help="Export all your data and original files to one zip.")(
    data_cmds.export_command
)
app.command("backup", help="Back up the database safely, even while serve runs.")(
    data_cmds.backup_command
)
app.command("delete", help="Delete all your data (delete --everything).")(data_cmds.delete_command)
app.add_typer(user_cmds.app, name="user", help="Server mode: add, list, disable accounts.")
