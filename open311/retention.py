"""What the retention job erases of a melding's Open311 herkomst, registered with
:mod:`meldingen.retention` from :meth:`open311.apps.Open311Config.ready` (meldingen does not
import the apps built on it)."""

from meldingen.retention import Plan, register

HERKOMST_PLAN = Plan(
    "open311.Herkomst",
    via="melding",
    erase={"media_url": ""},
    keep={
        "id": "",
        "melding": "",
        "client": "which app filed it",
        "token": "the app's own handle; the row it finds holds nothing the app did not send",
        "created_at": "",
    },
)

NOT_MELDING_DATA = {
    "open311.Client": "an outside app's registration and its administrator's address",
}


def register_plan() -> None:
    register(HERKOMST_PLAN, not_melding_data=NOT_MELDING_DATA)
