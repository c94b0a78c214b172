#!/usr/bin/env bash
# Update the translation sources from the code, then compile them for the app.
#
#   bash scripts/update-translations.sh [--no-release]
#
# pyside6-lupdate reads every tr("…") and QT_TR_NOOP("…") call in exportdesk/ and updates
# resources/translations/exportdesk_ru.ts (every message) and exportdesk_en.ts (plural messages
# only, for the English "1 row" / "2 rows" forms). New messages come in as unfinished, and
# messages that vanished from the code are dropped. The .ts files carry no source line
# numbers, so an edit elsewhere in the code leaves them unchanged.
# pyside6-lrelease then compiles each .ts into the .qm file that exportdesk.i18n loads.
# --no-release skips the compile step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

release=1
case "${1:-}" in
    "") ;;
    --no-release) release=0 ;;
    -h|--help) echo "usage: $0 [--no-release]"; exit 0 ;;
    *) echo "update-translations: unknown option: $1" >&2; echo "usage: $0 [--no-release]" >&2; exit 2 ;;
esac

bin=".venv/bin"
for tool in pyside6-lupdate pyside6-lrelease; do
    if [ ! -x "$bin/$tool" ]; then
        echo "update-translations: $bin/$tool not found. Run scripts/setup.sh to install PySide6 into .venv." >&2
        exit 1
    fi
done

folder="resources/translations"
mkdir -p "$folder"
common=(-extensions py -locations none -no-obsolete -source-language en)

"$bin/pyside6-lupdate" "${common[@]}" -target-language ru_RU exportdesk -ts "$folder/exportdesk_ru.ts"
"$bin/pyside6-lupdate" "${common[@]}" -target-language en_US -pluralonly exportdesk -ts "$folder/exportdesk_en.ts"

if [ "$release" = 1 ]; then
    for language in ru en; do
        "$bin/pyside6-lrelease" "$folder/exportdesk_$language.ts" -qm "$folder/exportdesk_$language.qm"
    done
fi
