<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU" sourcelanguage="en">
<context>
    <name></name>
    <message>
        <source>The source has no rows to export.</source>
        <translation>В источнике нет строк для экспорта.</translation>
    </message>
    <message numerus="yes">
        <source>The source has about %Ln row(s).</source>
        <translation>
            <numerusform>В источнике около %Ln строки.</numerusform>
            <numerusform>В источнике около %Ln строк.</numerusform>
            <numerusform>В источнике около %Ln строк.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>XLSX will need %Ln sheet(s) for them.</source>
        <translation>
            <numerusform>Для XLSX понадобится %Ln лист.</numerusform>
            <numerusform>Для XLSX понадобятся %Ln листа.</numerusform>
            <numerusform>Для XLSX понадобится %Ln листов.</numerusform>
        </translation>
    </message>
    <message>
        <source>The file will take about {size}, but the disk has only {free} free.</source>
        <translation>Файл займёт около {size}, а на диске свободно только {free}.</translation>
    </message>
    <message>
        <source>ExportDesk cannot start</source>
        <translation>ExportDesk не может запуститься</translation>
    </message>
    <message>
        <source>The data folder {path} cannot be used. Check that it is a folder of yours that other users cannot write to, or set EXPORTDESK_DATA_DIR to another folder.</source>
        <translation>Папку данных {path} нельзя использовать. Проверьте, что это ваша папка и другие пользователи не могут в неё записывать, или задайте другую папку в EXPORTDESK_DATA_DIR.</translation>
    </message>
    <message>
        <source>The data folder {path} cannot be opened: {reason}. Check its permissions, or set EXPORTDESK_DATA_DIR to another folder.</source>
        <translation>Не удаётся открыть папку данных {path}: {reason}. Проверьте права доступа к ней или задайте другую папку в EXPORTDESK_DATA_DIR.</translation>
    </message>
    <message>
        <source>ExportDesk is already open for this data folder (process {pid}).</source>
        <translation>ExportDesk уже открыт для этой папки данных (процесс {pid}).</translation>
    </message>
    <message>
        <source>Preparing demo data…</source>
        <translation>Подготовка демо-данных…</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Демо-данные</translation>
    </message>
    <message>
        <source>The demo data could not be prepared, so the demo source is not available. Exports from database URLs still work.</source>
        <translation>Не удалось подготовить демо-данные, поэтому демо-источник недоступен. Экспорт из баз данных по URL работает.</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Something went wrong, and the last action may not have finished. ExportDesk keeps running.</source>
        <translation>Что-то пошло не так, и последнее действие могло не завершиться. ExportDesk продолжает работать.</translation>
    </message>
    <message>
        <source>The details are in the log: {path}</source>
        <translation>Подробности в журнале: {path}</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>CRLF (Windows)</source>
        <translation>CRLF (Windows)</translation>
    </message>
    <message>
        <source>LF (Linux, macOS)</source>
        <translation>LF (Linux, macOS)</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>Windows-1251</source>
        <translation>Windows-1251</translation>
    </message>
    <message>
        <source>Neutralise formulas</source>
        <translation>Защита от формул</translation>
    </message>
    <message>
        <source>Text that starts with =, +, -, @, Tab or CR gets a leading &apos;, so a spreadsheet shows it as text instead of running it as a formula.</source>
        <translation>Перед текстом, который начинается с =, +, -, @, Tab или CR, ставится &apos;, чтобы табличная программа показала его как текст, а не выполнила как формулу.</translation>
    </message>
    <message>
        <source>Field delimiter</source>
        <translation>Разделитель полей</translation>
    </message>
    <message>
        <source>Line ending</source>
        <translation>Конец строки</translation>
    </message>
    <message>
        <source>Text encoding</source>
        <translation>Кодировка текста</translation>
    </message>
    <message>
        <source>First line contains the column names</source>
        <translation>Первая строка содержит названия столбцов</translation>
    </message>
    <message>
        <source>Empty field</source>
        <translation>Пустое поле</translation>
    </message>
    <message>
        <source>Text written for NULL</source>
        <translation>Текст, который записывается вместо NULL</translation>
    </message>
    <message>
        <source>Delimiter:</source>
        <translation>Разделитель:</translation>
    </message>
    <message>
        <source>Line ending:</source>
        <translation>Конец строки:</translation>
    </message>
    <message>
        <source>Encoding:</source>
        <translation>Кодировка:</translation>
    </message>
    <message>
        <source>NULL text:</source>
        <translation>Текст для NULL:</translation>
    </message>
    <message>
        <source>The CSV settings are invalid: {reason}</source>
        <translation>Настройки CSV недопустимы: {reason}</translation>
    </message>
    <message>
        <source>The NULL text must not contain the delimiter ({delimiter}), a double quote or a line break. Change the NULL text.</source>
        <translation>Текст для NULL не должен содержать разделитель ({delimiter}), двойную кавычку или перевод строки. Измените текст для NULL.</translation>
    </message>
    <message>
        <source>Details of the selected export</source>
        <translation>Сведения о выбранном экспорте</translation>
    </message>
    <message>
        <source>Export name and state</source>
        <translation>Название и состояние экспорта</translation>
    </message>
    <message>
        <source>Export message</source>
        <translation>Сообщение экспорта</translation>
    </message>
    <message>
        <source>Export again</source>
        <translation>Экспортировать снова</translation>
    </message>
    <message>
        <source>Queue a new export with the same settings</source>
        <translation>Поставить в очередь новый экспорт с теми же настройками</translation>
    </message>
    <message>
        <source>Copy details for support</source>
        <translation>Копировать сведения для поддержки</translation>
    </message>
    <message>
        <source>Copy these details as plain text, without any password</source>
        <translation>Скопировать эти сведения простым текстом, без паролей</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <source>Log of the selected export</source>
        <translation>Журнал выбранного экспорта</translation>
    </message>
    <message>
        <source>Show the log lines of this export</source>
        <translation>Показать строки журнала этого экспорта</translation>
    </message>
    <message>
        <source>No exports yet. Choose New export to start one.</source>
        <translation>Экспортов пока нет. Нажмите «Новый экспорт», чтобы начать.</translation>
    </message>
    <message>
        <source>No export matches the filter or the search.</source>
        <translation>Ни один экспорт не подходит под фильтр или поиск.</translation>
    </message>
    <message>
        <source>Select an export to see its details.</source>
        <translation>Выберите экспорт, чтобы увидеть подробности.</translation>
    </message>
    <message>
        <source>Reading the log…</source>
        <translation>Чтение журнала…</translation>
    </message>
    <message>
        <source>No log lines for this export.</source>
        <translation>В журнале нет строк об этом экспорте.</translation>
    </message>
    <message>
        <source>there is not enough disk space. Free some space or choose another disk.</source>
        <translation>недостаточно места на диске. Освободите место или выберите другой диск.</translation>
    </message>
    <message>
        <source>there is no permission to write to this folder. Choose another folder.</source>
        <translation>нет прав на запись в эту папку. Выберите другую папку.</translation>
    </message>
    <message>
        <source>the folder does not exist. Choose another folder.</source>
        <translation>папка не существует. Выберите другую папку.</translation>
    </message>
    <message>
        <source>the file could not be written. Choose another folder, and if this repeats, send the log to support.</source>
        <translation>файл не удалось записать. Выберите другую папку, а если ошибка повторится, отправьте журнал в поддержку.</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON Lines files (*.jsonl)</source>
        <translation>Файлы JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Файлы JSON (*.json)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Книги Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>ZIP archives (*.zip)</source>
        <translation>Архивы ZIP (*.zip)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
    <message>
        <source>Export again to get a new file with the same settings.</source>
        <translation>Экспортируйте снова, чтобы получить новый файл с теми же настройками.</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Скачивание</translation>
    </message>
    <message>
        <source>The file can be downloaded when the export is ready.</source>
        <translation>Файл можно скачать, когда экспорт будет готов.</translation>
    </message>
    <message>
        <source>This export no longer exists: it was removed.</source>
        <translation>Этого экспорта больше нет: он был удалён.</translation>
    </message>
    <message>
        <source>Save export as</source>
        <translation>Сохранить экспорт как</translation>
    </message>
    <message>
        <source>The file is no longer available: its retention period has expired.</source>
        <translation>Файл больше недоступен: срок хранения истёк.</translation>
    </message>
    <message>
        <source>Saving {file}…</source>
        <translation>Сохранение {file}…</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Сохранено в {path}</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>Скачивание отменено.</translation>
    </message>
    <message>
        <source>The saved copy did not match the exported file, so it was deleted. Download again, and if this repeats, export again.</source>
        <translation>Сохранённая копия не совпала с файлом экспорта и была удалена. Скачайте снова, а если ошибка повторится, экспортируйте снова.</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>Не удалось сохранить {path}: {reason}</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>CSV profile</source>
        <translation>Профиль CSV</translation>
    </message>
    <message>
        <source>Optional; used for the file name</source>
        <translation>Необязательно; используется в имени файла</translation>
    </message>
    <message>
        <source>Export name</source>
        <translation>Название экспорта</translation>
    </message>
    <message numerus="yes">
        <source> hour(s)</source>
        <translation>
            <numerusform> час</numerusform>
            <numerusform> часа</numerusform>
            <numerusform> часов</numerusform>
        </translation>
    </message>
    <message>
        <source>Hours to keep the file</source>
        <translation>Сколько часов хранить файл</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Формат:</translation>
    </message>
    <message>
        <source>CSV profile:</source>
        <translation>Профиль CSV:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Название:</translation>
    </message>
    <message>
        <source>Keep the file for:</source>
        <translation>Хранить файл:</translation>
    </message>
    <message>
        <source>File format</source>
        <translation>Формат файла</translation>
    </message>
    <message>
        <source>Select an export in the list first.</source>
        <translation>Сначала выберите экспорт в списке.</translation>
    </message>
    <message>
        <source>Only a queued or running export can be cancelled.</source>
        <translation>Отменить можно только экспорт в очереди или выполняющийся.</translation>
    </message>
    <message>
        <source>Cancellation has already been requested.</source>
        <translation>Отмена уже запрошена.</translation>
    </message>
    <message>
        <source>The file can be verified when the export is ready.</source>
        <translation>Файл можно проверить, когда экспорт будет готов.</translation>
    </message>
    <message>
        <source>The export is still running: wait for it to end or cancel it.</source>
        <translation>Экспорт ещё выполняется: дождитесь окончания или отмените его.</translation>
    </message>
    <message>
        <source>The export is still running: cancel it before removing.</source>
        <translation>Экспорт ещё выполняется: отмените его перед удалением.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Stop the selected export</source>
        <translation>Остановить выбранный экспорт</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Скачать…</translation>
    </message>
    <message>
        <source>Save the exported file to a folder of your choice</source>
        <translation>Сохранить файл экспорта в выбранную папку</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Открыть папку</translation>
    </message>
    <message>
        <source>Open the folder that contains the exported file</source>
        <translation>Открыть папку с файлом экспорта</translation>
    </message>
    <message>
        <source>Check the exported file against the checksum recorded when it was written</source>
        <translation>Сверить файл экспорта с контрольной суммой, записанной при его создании</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <source>Delete the export and its file</source>
        <translation>Удалить экспорт и его файл</translation>
    </message>
    <message>
        <source>Copy the details of the selected export as plain text, without any password</source>
        <translation>Скопировать сведения о выбранном экспорте простым текстом, без паролей</translation>
    </message>
    <message>
        <source>New export…</source>
        <translation>Новый экспорт…</translation>
    </message>
    <message>
        <source>Start a new export</source>
        <translation>Начать новый экспорт</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <source>Change retention, parallel exports, language and notifications</source>
        <translation>Изменить срок хранения, число параллельных экспортов, язык и уведомления</translation>
    </message>
    <message>
        <source>Version and data folder</source>
        <translation>Версия и папка данных</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Move the cursor to the search field</source>
        <translation>Перейти к полю поиска</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Read the list of exports again</source>
        <translation>Заново прочитать список экспортов</translation>
    </message>
    <message>
        <source>Quit ExportDesk</source>
        <translation>Выйти из ExportDesk</translation>
    </message>
    <message>
        <source>Cancel the export “{name}”? The part exported so far is deleted.</source>
        <translation>Отменить экспорт «{name}»? Уже выгруженная часть будет удалена.</translation>
    </message>
    <message>
        <source>Cancel the queued export “{name}”?</source>
        <translation>Отменить экспорт «{name}», ожидающий в очереди?</translation>
    </message>
    <message>
        <source>Cancel export?</source>
        <translation>Отменить экспорт?</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Отменить экспорт</translation>
    </message>
    <message>
        <source>Keep exporting</source>
        <translation>Продолжить экспорт</translation>
    </message>
    <message>
        <source>Remove export</source>
        <translation>Удаление экспорта</translation>
    </message>
    <message>
        <source>Remove the export “{name}” and delete its file? This cannot be undone.</source>
        <translation>Удалить экспорт «{name}» и его файл? Это действие нельзя отменить.</translation>
    </message>
    <message>
        <source>Remove export</source>
        <comment>confirmation button</comment>
        <translation>Удалить экспорт</translation>
    </message>
    <message>
        <source>Keep export</source>
        <translation>Не удалять</translation>
    </message>
    <message>
        <source>The export has already ended.</source>
        <translation>Экспорт уже завершён.</translation>
    </message>
    <message>
        <source>Cancel requested: {name}</source>
        <translation>Запрошена отмена: {name}</translation>
    </message>
    <message>
        <source>Removed: {name}</source>
        <translation>Удалено: {name}</translation>
    </message>
    <message>
        <source>Could not delete the file. Check the permissions of the data folder.</source>
        <translation>Не удалось удалить файл. Проверьте права доступа к папке данных.</translation>
    </message>
    <message>
        <source>Could not remove the export: {reason}</source>
        <translation>Не удалось удалить экспорт: {reason}</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Истёк</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Истекает</translation>
    </message>
    <message>
        <source>{time} ({remaining} left)</source>
        <translation>{time} (осталось: {remaining})</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создан</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Скачан</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Строки</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Осталось</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>SQL query</source>
        <translation>SQL-запрос</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>Таблицы</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Столбцы</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>Срок хранения</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>Имя файла</translation>
    </message>
    <message>
        <source>Consistency</source>
        <translation>Согласованность</translation>
    </message>
    <message>
        <source>Read page by page: the service offers no snapshot, so records changed during the export may be missing or repeated.</source>
        <translation>Прочитано постранично: сервис не даёт снимка данных, поэтому записи, изменённые во время экспорта, могут пропасть или повториться.</translation>
    </message>
    <message>
        <source>One snapshot: the database is read in a single transaction.</source>
        <translation>Единый снимок: база данных прочитана в одной транзакции.</translation>
    </message>
    <message>
        <source>ExportDesk {version}, export {job_id}</source>
        <translation>ExportDesk {version}, экспорт {job_id}</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Error code</source>
        <translation>Код ошибки</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>All exports</source>
        <translation>Все экспорты</translation>
    </message>
    <message>
        <source>Active exports</source>
        <translation>Активные</translation>
    </message>
    <message>
        <source>Ready exports</source>
        <translation>Готовые</translation>
    </message>
    <message>
        <source>Failed exports</source>
        <translation>С ошибкой</translation>
    </message>
    <message>
        <source>Cancelled exports</source>
        <translation>Отменённые</translation>
    </message>
    <message>
        <source>Expired exports</source>
        <translation>С истёкшим сроком</translation>
    </message>
    <message>
        <source>Show exports in state</source>
        <translation>Показать экспорты в состоянии</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Показать:</translation>
    </message>
    <message>
        <source>Search by name (Ctrl+F)</source>
        <translation>Поиск по названию (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search exports by name</source>
        <translation>Поиск экспортов по названию</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Прогресс</translation>
    </message>
    <message>
        <source>Expires in</source>
        <translation>Истекает через</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отменяется…</translation>
    </message>
    <message>
        <source>{percent}%</source>
        <translation>{percent} %</translation>
    </message>
    <message>
        <source>Exports</source>
        <translation>Экспорты</translation>
    </message>
    <message>
        <source>Excel (ru)</source>
        <translation>Excel (ru)</translation>
    </message>
    <message>
        <source>Excel (en)</source>
        <translation>Excel (en)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Свой</translation>
    </message>
    <message>
        <source>Semicolons, decimal commas and a byte order mark: Excel with Russian regional settings opens it as a table.</source>
        <translation>Точка с запятой, десятичная запятая и метка порядка байтов: Excel с русскими региональными настройками откроет файл как таблицу.</translation>
    </message>
    <message>
        <source>Commas, decimal points and a byte order mark: Excel with English regional settings opens it as a table.</source>
        <translation>Запятые, десятичные точки и метка порядка байтов: Excel с английскими региональными настройками откроет файл как таблицу.</translation>
    </message>
    <message>
        <source>Commas, decimal points and no byte order mark: for scripts, databases and other programs.</source>
        <translation>Запятые, десятичные точки, без метки порядка байтов: для скриптов, баз данных и других программ.</translation>
    </message>
    <message>
        <source>Your own delimiter, line ending, encoding, header and NULL text, with decimal points and no byte order mark.</source>
        <translation>Свои разделитель, конец строки, кодировка, заголовок и текст для NULL; десятичные точки, без метки порядка байтов.</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>JSON Lines</source>
        <translation>JSON Lines</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Excel (XLSX)</source>
        <translation>Excel (XLSX)</translation>
    </message>
    <message>
        <source>A table for Excel and other spreadsheet programs.</source>
        <translation>Таблица для Excel и других табличных программ.</translation>
    </message>
    <message>
        <source>One object per line: for scripts and large data.</source>
        <translation>Один объект на строку: для скриптов и больших объёмов данных.</translation>
    </message>
    <message>
        <source>One array: for small exports and web tools.</source>
        <translation>Один массив: для небольших экспортов и веб-инструментов.</translation>
    </message>
    <message>
        <source>An Excel workbook with typed cells: numbers, dates and text stay what they are.</source>
        <translation>Книга Excel с типизированными ячейками: числа, даты и текст остаются тем, что они есть.</translation>
    </message>
    <message>
        <source>Tables: {tables}</source>
        <translation>Таблицы: {tables}</translation>
    </message>
    <message>
        <source>ExportDesk</source>
        <translation>ExportDesk</translation>
    </message>
    <message>
        <source>Details copied to the clipboard.</source>
        <translation>Сведения скопированы в буфер обмена.</translation>
    </message>
    <message>
        <source>Export queued: {name}</source>
        <translation>Экспорт поставлен в очередь: {name}</translation>
    </message>
    <message>
        <source>Could not open the folder {path}.</source>
        <translation>Не удалось открыть папку {path}.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Could not save the settings: {reason}</source>
        <translation>Не удалось сохранить настройки: {reason}</translation>
    </message>
    <message>
        <source>Settings saved. The new language takes effect after a restart.</source>
        <translation>Настройки сохранены. Новый язык начнёт действовать после перезапуска.</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Настройки сохранены.</translation>
    </message>
    <message>
        <source>ExportDesk {version}</source>
        <translation>ExportDesk {version}</translation>
    </message>
    <message>
        <source>Turns “export my data” into a background job and keeps the file for a limited time.</source>
        <translation>Превращает «выгрузите мои данные» в фоновое задание и хранит файл ограниченное время.</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>Папка данных: {path}</translation>
    </message>
    <message>
        <source>About ExportDesk</source>
        <translation>О программе ExportDesk</translation>
    </message>
    <message>
        <source>ExportDesk keeps running in the notification area, and the exports go on. Quit it from the icon&apos;s menu.</source>
        <translation>ExportDesk продолжает работать в области уведомлений, экспорты выполняются. Выйти можно через меню значка.</translation>
    </message>
    <message>
        <source>New export</source>
        <translation>Новый экспорт</translation>
    </message>
    <message>
        <source>Start export</source>
        <translation>Начать экспорт</translation>
    </message>
    <message>
        <source>Database URL</source>
        <translation>URL базы данных</translation>
    </message>
    <message>
        <source>Tables to export</source>
        <translation>Таблицы для экспорта</translation>
    </message>
    <message>
        <source>SQL query to export</source>
        <translation>SQL-запрос для экспорта</translation>
    </message>
    <message>
        <source>Database (SQLAlchemy URL):</source>
        <translation>База данных (URL SQLAlchemy):</translation>
    </message>
    <message>
        <source>e.g. postgresql://user@host/shop or sqlite:////home/me/shop.db</source>
        <translation>например, postgresql://user@host/shop или sqlite:////home/me/shop.db</translation>
    </message>
    <message>
        <source>Load tables</source>
        <translation>Загрузить таблицы</translation>
    </message>
    <message>
        <source>What to export</source>
        <translation>Что экспортировать</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Таблица</translation>
    </message>
    <message>
        <source>Rows (estimate)</source>
        <translation>Строк (оценка)</translation>
    </message>
    <message>
        <source>SELECT … FROM …</source>
        <translation>SELECT … FROM …</translation>
    </message>
    <message>
        <source>Loading the list of tables…</source>
        <translation>Загрузка списка таблиц…</translation>
    </message>
    <message>
        <source>invalid duration {value}: use a number and s, m, h or d, e.g. 24h</source>
        <translation>недопустимый срок {value}: укажите число и s, m, h или d, например 24h</translation>
    </message>
    <message>
        <source>invalid retention {value}: use at least 1s</source>
        <translation>недопустимый срок хранения {value}: укажите не меньше 1s</translation>
    </message>
    <message>
        <source>invalid retention {value}: use at most {days} days, e.g. 30d</source>
        <translation>недопустимый срок хранения {value}: укажите не больше {days} дней, например 30d</translation>
    </message>
    <message>
        <source>invalid whole number {value}</source>
        <translation>{value} не целое число</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln строка</numerusform>
            <numerusform>%Ln строки</numerusform>
            <numerusform>%Ln строк</numerusform>
        </translation>
    </message>
    <message>
        <source>Password: </source>
        <translation>Пароль: </translation>
    </message>
    <message>
        <source>--ask-password needs --wait: the password is kept only while this command runs</source>
        <translation>--ask-password нужен вместе с --wait: пароль хранится, только пока выполняется эта команда</translation>
    </message>
    <message>
        <source>the system password store is unavailable, so the password cannot be saved: add --wait to use it for this run only, or use --ask-password --wait to type it</source>
        <translation>системное хранилище паролей недоступно, поэтому пароль нельзя сохранить: добавьте --wait, чтобы использовать его только в этом запуске, или введите его с --ask-password --wait</translation>
    </message>
    <message>
        <source>The system password store is unavailable: the password is used for this run only.</source>
        <translation>Системное хранилище паролей недоступно: пароль используется только в этом запуске.</translation>
    </message>
    <message>
        <source>Preparing demo data: {percent}</source>
        <translation>Подготовка демо-данных: {percent}</translation>
    </message>
    <message>
        <source>The engine already runs in process {pid}, and it runs the queued jobs.</source>
        <translation>Задания уже выполняет процесс {pid}, он выполнит и задания из очереди.</translation>
    </message>
    <message>
        <source>--source: no saved source is called {name}: use &apos;demo&apos;, an SQLAlchemy URL, or a name from &apos;exportdesk source list&apos;</source>
        <translation>--source: сохранённого источника {name} нет: укажите &apos;demo&apos;, URL SQLAlchemy или имя из &apos;exportdesk source list&apos;</translation>
    </message>
    <message>
        <source>--endpoint {value}: use NAME=PATH, e.g. orders=/api/orders</source>
        <translation>--endpoint {value}: укажите ИМЯ=ПУТЬ, например orders=/api/orders</translation>
    </message>
    <message>
        <source>invalid HTTP source settings: {error}</source>
        <translation>недопустимые настройки HTTP-источника: {error}</translation>
    </message>
    <message>
        <source>The system password store is unavailable, so the token was not saved. Give it with &apos;export --ask-password --wait&apos; each time.</source>
        <translation>Системное хранилище паролей недоступно, поэтому токен не сохранён. Вводите его каждый раз с &apos;export --ask-password --wait&apos;.</translation>
    </message>
    <message>
        <source>Source {name} saved</source>
        <translation>Источник {name} сохранён</translation>
    </message>
    <message>
        <source>give either --url (an SQL database) or --http (an HTTP JSON API)</source>
        <translation>укажите либо --url (база данных SQL), либо --http (HTTP JSON API)</translation>
    </message>
    <message>
        <source>The system password store is unavailable, so the password was not saved. Give it with &apos;export --ask-password --wait&apos; each time.</source>
        <translation>Системное хранилище паролей недоступно, поэтому пароль не сохранён. Вводите его каждый раз с &apos;export --ask-password --wait&apos;.</translation>
    </message>
    <message>
        <source>Source {name} not found</source>
        <translation>Источник {name} не найден</translation>
    </message>
    <message numerus="yes">
        <source>Connected to {name}: %Ln table(s) and view(s)</source>
        <translation>
            <numerusform>Подключено к {name}: %Ln таблица или представление</numerusform>
            <numerusform>Подключено к {name}: %Ln таблицы и представления</numerusform>
            <numerusform>Подключено к {name}: %Ln таблиц и представлений</numerusform>
        </translation>
    </message>
    <message>
        <source>view</source>
        <translation>представление</translation>
    </message>
    <message>
        <source>Source {name} removed</source>
        <translation>Источник {name} удалён</translation>
    </message>
    <message>
        <source>Trying again for a few seconds…</source>
        <translation>Попытки продолжатся ещё несколько секунд…</translation>
    </message>
    <message>
        <source>The job is queued and will try again when it runs.</source>
        <translation>Задание поставлено в очередь и при запуске попробует снова.</translation>
    </message>
    <message>
        <source>{rows}, about {size}</source>
        <translation>{rows}, около {size}</translation>
    </message>
    <message>
        <source>Could not prepare the demo data in {folder}. {reason}</source>
        <translation>Не удалось подготовить демо-данные в папке {folder}. {reason}</translation>
    </message>
    <message>
        <source>give either --table NAME (one or more) or --query SQL</source>
        <translation>укажите либо --table ТАБЛИЦА (одну или несколько), либо --query SQL</translation>
    </message>
    <message>
        <source>Columns: {columns}</source>
        <translation>Столбцы: {columns}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}. Choose another destination with --to.</source>
        <translation>Не удалось записать {path}: {reason}. Выберите другое место с помощью --to.</translation>
    </message>
    <message>
        <source>Job {job} is not ready ({state}): only a ready job can be downloaded</source>
        <translation>Задание {job} не готово ({state}): скачать можно только готовое задание</translation>
    </message>
    <message>
        <source>Job {job} has already ended ({state})</source>
        <translation>Задание {job} уже завершено ({state})</translation>
    </message>
    <message>
        <source>{job} cancelled</source>
        <translation>{job} отменено</translation>
    </message>
    <message>
        <source>{job} cancel requested</source>
        <translation>{job}: отмена запрошена</translation>
    </message>
    <message>
        <source>Job {job} is still active: cancel it first</source>
        <translation>Задание {job} ещё выполняется или ждёт в очереди: сначала отмените его</translation>
    </message>
    <message>
        <source>{job} removed</source>
        <translation>{job} удалено</translation>
    </message>
    <message>
        <source>Job {job} is not ready ({state}): only a ready job can be verified</source>
        <translation>Задание {job} не готово ({state}): проверить можно только готовое задание</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>верно</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>ОШИБКА</translation>
    </message>
    <message>
        <source>expired {expired}, missing {missing}, orphans deleted {orphans}, partial files deleted {parts}</source>
        <translation>срок истёк: {expired}, файлов нет: {missing}, удалено лишних файлов: {orphans}, удалено недописанных файлов: {parts}</translation>
    </message>
    <message>
        <source>Export data to files as jobs. Without a command, opens the window.</source>
        <translation>Выгружает данные в файлы в виде заданий. Без команды открывает окно.</translation>
    </message>
    <message>
        <source>show program&apos;s version number and exit</source>
        <translation>показать номер версии и выйти</translation>
    </message>
    <message>
        <source>DATA_DIR</source>
        <translation>ПАПКА</translation>
    </message>
    <message>
        <source>app-data folder (default: $EXPORTDESK_DATA_DIR or the per-user folder)</source>
        <translation>папка данных приложения (по умолчанию: $EXPORTDESK_DATA_DIR или папка пользователя)</translation>
    </message>
    <message>
        <source>ACCOUNT</source>
        <translation>УЧЁТНАЯ_ЗАПИСЬ</translation>
    </message>
    <message>
        <source>source account to act as (default: $EXPORTDESK_ACCOUNT or &apos;local&apos;)</source>
        <translation>учётная запись источника, от имени которой работать (по умолчанию: $EXPORTDESK_ACCOUNT или &apos;local&apos;)</translation>
    </message>
    <message>
        <source>commands</source>
        <translation>команды</translation>
    </message>
    <message>
        <source>COMMAND</source>
        <translation>КОМАНДА</translation>
    </message>
    <message>
        <source>job id</source>
        <translation>идентификатор задания</translation>
    </message>
    <message>
        <source>queue an export job (and with --wait, run it to its end)</source>
        <translation>поставить задание экспорта в очередь (с --wait — выполнить его до конца)</translation>
    </message>
    <message>
        <source>SOURCE</source>
        <translation>ИСТОЧНИК</translation>
    </message>
    <message>
        <source>&apos;demo&apos;, a saved source&apos;s name, or an SQLAlchemy URL</source>
        <translation>&apos;demo&apos;, имя сохранённого источника или URL SQLAlchemy</translation>
    </message>
    <message>
        <source>NAME</source>
        <comment>table name</comment>
        <translation>ТАБЛИЦА</translation>
    </message>
    <message>
        <source>one or more tables; several go into one ZIP</source>
        <translation>одна или несколько таблиц; несколько таблиц попадают в один ZIP</translation>
    </message>
    <message>
        <source>an SQL query to export</source>
        <translation>SQL-запрос, результат которого выгружается</translation>
    </message>
    <message>
        <source>COLUMNS</source>
        <translation>СТОЛБЦЫ</translation>
    </message>
    <message>
        <source>export only these columns of the one --table, in this order, separated by commas (default: all)</source>
        <translation>экспортировать только эти столбцы единственной таблицы --table, в этом порядке, через запятую (по умолчанию: все)</translation>
    </message>
    <message>
        <source>csv, xlsx (Excel), jsonl (JSON Lines) or json (default: csv)</source>
        <translation>csv, xlsx (Excel), jsonl (JSON Lines) или json (по умолчанию: csv)</translation>
    </message>
    <message>
        <source>CSV profile (default: excel-ru)</source>
        <translation>профиль CSV (по умолчанию: excel-ru)</translation>
    </message>
    <message>
        <source>CSV options (override the profile)</source>
        <translation>параметры CSV (заменяют значения профиля)</translation>
    </message>
    <message>
        <source>DELIMITER</source>
        <translation>РАЗДЕЛИТЕЛЬ</translation>
    </message>
    <message>
        <source>field delimiter, one character; &apos;tab&apos; for Tab</source>
        <translation>разделитель полей, один символ; &apos;tab&apos; — табуляция</translation>
    </message>
    <message>
        <source>QUOTE</source>
        <translation>КАВЫЧКА</translation>
    </message>
    <message>
        <source>quote character, one character (default: &quot;)</source>
        <translation>символ кавычки, один символ (по умолчанию: &quot;)</translation>
    </message>
    <message>
        <source>line ending</source>
        <translation>конец строки</translation>
    </message>
    <message>
        <source>ENCODING</source>
        <translation>КОДИРОВКА</translation>
    </message>
    <message>
        <source>text encoding, e.g. utf-8 or cp1251 (default: utf-8)</source>
        <translation>кодировка текста, например utf-8 или cp1251 (по умолчанию: utf-8)</translation>
    </message>
    <message>
        <source>TEXT</source>
        <translation>ТЕКСТ</translation>
    </message>
    <message>
        <source>text written for NULL (default: an empty field)</source>
        <translation>текст, который записывается вместо NULL (по умолчанию: пустое поле)</translation>
    </message>
    <message>
        <source>leave out the header row</source>
        <translation>не записывать строку заголовков</translation>
    </message>
    <message>
        <source>prefix text starting with = + - @ Tab or CR with &apos; so spreadsheets show it as text (default: on for the Excel profiles, off otherwise)</source>
        <translation>ставить &apos; перед текстом, который начинается с = + - @, табуляции или возврата каретки, чтобы электронные таблицы показывали его как текст (по умолчанию: включено для профилей Excel, для остальных выключено)</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>ИМЯ</translation>
    </message>
    <message>
        <source>export name, used for the file name</source>
        <translation>название экспорта, из него получается имя файла</translation>
    </message>
    <message>
        <source>DURATION</source>
        <translation>СРОК</translation>
    </message>
    <message>
        <source>how long to keep the file, e.g. 90s, 30m, 24h (default: the setting, 24h)</source>
        <translation>сколько хранить файл, например 90s, 30m, 24h (по умолчанию: из настроек, 24h)</translation>
    </message>
    <message>
        <source>run the job to its end, with progress on a terminal</source>
        <translation>выполнить задание до конца, показывая ход выполнения в терминале</translation>
    </message>
    <message>
        <source>read the source password from the terminal (or one line of stdin) and keep it for this run only; needs --wait</source>
        <translation>прочитать пароль источника из терминала (или одну строку стандартного ввода) и хранить его только во время этого запуска; нужен --wait</translation>
    </message>
    <message>
        <source>print the job as one JSON object</source>
        <translation>вывести задание одним объектом JSON</translation>
    </message>
    <message>
        <source>list your jobs, newest first</source>
        <translation>показать ваши задания, сначала новые</translation>
    </message>
    <message>
        <source>print each job as one JSON object</source>
        <translation>вывести каждое задание отдельным объектом JSON</translation>
    </message>
    <message>
        <source>show one job</source>
        <translation>показать одно задание</translation>
    </message>
    <message>
        <source>JOB</source>
        <translation>ЗАДАНИЕ</translation>
    </message>
    <message>
        <source>run the engine until the job ends</source>
        <translation>выполнять задания, пока это задание не завершится</translation>
    </message>
    <message>
        <source>read the source password again, for a job whose password was kept for one run only</source>
        <translation>снова прочитать пароль источника — для задания, пароль которого хранился только один запуск</translation>
    </message>
    <message>
        <source>copy a ready job&apos;s file</source>
        <translation>скопировать файл готового задания</translation>
    </message>
    <message>
        <source>PATH</source>
        <translation>ПУТЬ</translation>
    </message>
    <message>
        <source>destination file or folder</source>
        <translation>файл или папка, куда скопировать</translation>
    </message>
    <message>
        <source>cancel a queued or running job</source>
        <translation>отменить задание в очереди или выполняющееся задание</translation>
    </message>
    <message>
        <source>delete an ended job and its file</source>
        <translation>удалить завершённое задание и его файл</translation>
    </message>
    <message>
        <source>saved sources: add, list, test, remove</source>
        <translation>сохранённые источники: add, list, test, remove</translation>
    </message>
    <message>
        <source>actions</source>
        <translation>действия</translation>
    </message>
    <message>
        <source>ACTION</source>
        <translation>ДЕЙСТВИЕ</translation>
    </message>
    <message>
        <source>name of the saved source</source>
        <translation>имя сохранённого источника</translation>
    </message>
    <message>
        <source>save an SQL source under a name; its password goes to the keyring</source>
        <translation>сохранить источник SQL под именем; пароль попадает в системное хранилище паролей</translation>
    </message>
    <message>
        <source>SQLAlchemy URL; a password in it is moved to the keyring</source>
        <translation>URL SQLAlchemy; пароль из него переносится в системное хранилище паролей</translation>
    </message>
    <message>
        <source>read the password from the terminal (or one line of stdin)</source>
        <translation>прочитать пароль из терминала (или одну строку стандартного ввода)</translation>
    </message>
    <message>
        <source>HTTP JSON API (with --http instead of --url)</source>
        <translation>HTTP JSON API (с --http вместо --url)</translation>
    </message>
    <message>
        <source>BASE_URL</source>
        <translation>БАЗОВЫЙ_URL</translation>
    </message>
    <message>
        <source>base URL of the API, e.g. https://api.example.com</source>
        <translation>базовый URL API, например https://api.example.com</translation>
    </message>
    <message>
        <source>NAME=PATH</source>
        <translation>ИМЯ=ПУТЬ</translation>
    </message>
    <message>
        <source>an endpoint to export as a table; repeat for more</source>
        <translation>адрес ресурса API, который выгружается как таблица; для нескольких повторите параметр</translation>
    </message>
    <message>
        <source>authentication; the token or password is read from the terminal (or one line of stdin)</source>
        <translation>способ аутентификации; токен или пароль читается из терминала (или одна строка стандартного ввода)</translation>
    </message>
    <message>
        <source>USER</source>
        <translation>ПОЛЬЗОВАТЕЛЬ</translation>
    </message>
    <message>
        <source>user name for basic authentication</source>
        <translation>имя пользователя для --auth basic</translation>
    </message>
    <message>
        <source>API_KEY_HEADER</source>
        <translation>ЗАГОЛОВОК</translation>
    </message>
    <message>
        <source>header that carries the API key (default: X-API-Key)</source>
        <translation>заголовок с ключом API (по умолчанию: X-API-Key)</translation>
    </message>
    <message>
        <source>how the API splits the records into pages (default: next_url)</source>
        <translation>как API делит записи на страницы (по умолчанию: next_url)</translation>
    </message>
    <message>
        <source>RECORDS_PATH</source>
        <translation>ПУТЬ</translation>
    </message>
    <message>
        <source>dotted path to the list of records, e.g. data.items (default: the body)</source>
        <translation>путь к списку записей через точку, например data.items (по умолчанию: всё тело ответа)</translation>
    </message>
    <message>
        <source>TOTAL_PATH</source>
        <translation>ПУТЬ</translation>
    </message>
    <message>
        <source>dotted path to the total record count, if the API gives one</source>
        <translation>путь к общему числу записей через точку, если API его сообщает</translation>
    </message>
    <message>
        <source>NEXT_URL_PATH</source>
        <translation>ПУТЬ</translation>
    </message>
    <message>
        <source>dotted path to the next page&apos;s URL (default: next)</source>
        <translation>путь к URL следующей страницы через точку (по умолчанию: next)</translation>
    </message>
    <message>
        <source>CURSOR_PATH</source>
        <translation>ПУТЬ</translation>
    </message>
    <message>
        <source>dotted path to the next cursor (default: next_cursor)</source>
        <translation>путь к следующему курсору через точку (по умолчанию: next_cursor)</translation>
    </message>
    <message>
        <source>CURSOR_PARAM</source>
        <translation>ПАРАМЕТР</translation>
    </message>
    <message>
        <source>request parameter that takes the cursor (default: cursor)</source>
        <translation>параметр запроса, в котором передаётся курсор (по умолчанию: cursor)</translation>
    </message>
    <message>
        <source>PAGE_SIZE</source>
        <translation>ЧИСЛО</translation>
    </message>
    <message>
        <source>records per page (default: 100)</source>
        <translation>записей на странице (по умолчанию: 100)</translation>
    </message>
    <message>
        <source>list saved sources</source>
        <translation>показать сохранённые источники</translation>
    </message>
    <message>
        <source>print each source as one JSON object</source>
        <translation>вывести каждый источник отдельным объектом JSON</translation>
    </message>
    <message>
        <source>connect and list tables with row counts</source>
        <translation>подключиться и показать таблицы с числом строк</translation>
    </message>
    <message>
        <source>delete a saved source and its password</source>
        <translation>удалить сохранённый источник и его пароль</translation>
    </message>
    <message>
        <source>check an artifact against its manifest or recorded SHA-256</source>
        <translation>сверить файл экспорта с его манифестом или записанной суммой SHA-256</translation>
    </message>
    <message>
        <source>JOB|FILE</source>
        <translation>ЗАДАНИЕ|ФАЙЛ</translation>
    </message>
    <message>
        <source>a job id, or the path of a downloaded ZIP</source>
        <translation>идентификатор задания или путь к скачанному ZIP</translation>
    </message>
    <message>
        <source>run queued jobs until none is left (export without --wait starts this)</source>
        <translation>выполнять задания из очереди, пока она не опустеет (export без --wait запускает эту команду сам)</translation>
    </message>
    <message>
        <source>delete expired files and reconcile storage now</source>
        <translation>сейчас удалить файлы с истёкшим сроком хранения и сверить хранилище</translation>
    </message>
    <message>
        <source>Job {job} not found</source>
        <translation>Задание {job} не найдено</translation>
    </message>
    <message>
        <source>The source has no tables.</source>
        <translation>В источнике нет таблиц.</translation>
    </message>
    <message>
        <source>Could not list the tables: {reason}</source>
        <translation>Не удалось получить список таблиц: {reason}</translation>
    </message>
    <message>
        <source>No table is selected. Tick at least one table, or choose SQL query.</source>
        <translation>Не выбрана ни одна таблица. Отметьте хотя бы одну таблицу или выберите SQL-запрос.</translation>
    </message>
    <message>
        <source>The SQL query is empty. Type a query, or choose Tables.</source>
        <translation>SQL-запрос пуст. Введите запрос или выберите «Таблицы».</translation>
    </message>
    <message>
        <source>The password could not be saved. Untick saving it, or try again.</source>
        <translation>Не удалось сохранить пароль. Снимите отметку о сохранении или попробуйте снова.</translation>
    </message>
    <message>
        <source>The export could not be queued: {reason}</source>
        <translation>Экспорт не удалось поставить в очередь: {reason}</translation>
    </message>
    <message>
        <source>Running exports can finish without the window: their files appear in the list the next time ExportDesk starts. Queued exports wait until then.</source>
        <translation>Выполняющиеся экспорты могут завершиться без окна: их файлы появятся в списке при следующем запуске ExportDesk. Экспорты в очереди подождут до него.</translation>
    </message>
    <message>
        <source>Quit ExportDesk?</source>
        <translation>Выйти из ExportDesk?</translation>
    </message>
    <message numerus="yes">
        <source>%Ln export(s) still running or queued.</source>
        <translation>
            <numerusform>Ещё не завершён %Ln экспорт.</numerusform>
            <numerusform>Ещё не завершены %Ln экспорта.</numerusform>
            <numerusform>Ещё не завершено %Ln экспортов.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop exports and quit</source>
        <translation>Остановить экспорты и выйти</translation>
    </message>
    <message>
        <source>Leave running and quit</source>
        <translation>Оставить выполняться и выйти</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Язык системы</translation>
    </message>
    <message>
        <source>The new language takes effect after ExportDesk is restarted.</source>
        <translation>Новый язык начнёт действовать после перезапуска ExportDesk.</translation>
    </message>
    <message>
        <source>Notify when an export is ready, fails or is about to expire</source>
        <translation>Уведомлять, когда экспорт готов, не удался или скоро истечёт</translation>
    </message>
    <message>
        <source>Start minimised to the notification area</source>
        <translation>Запускать свёрнутым в область уведомлений</translation>
    </message>
    <message>
        <source>Keep exported files for:</source>
        <translation>Хранить файлы экспорта:</translation>
    </message>
    <message>
        <source>Exports running at once:</source>
        <translation>Одновременных экспортов:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
    <message>
        <source>Default download folder:</source>
        <translation>Папка для скачивания по умолчанию:</translation>
    </message>
    <message>
        <source>The Downloads folder</source>
        <translation>Папка «Загрузки»</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Обзор…</translation>
    </message>
    <message>
        <source>Choose the default download folder</source>
        <translation>Выберите папку для скачивания по умолчанию</translation>
    </message>
    <message>
        <source>The folder {path} does not exist. Choose an existing folder, or leave the field empty to use Downloads.</source>
        <translation>Папка {path} не существует. Выберите существующую папку или оставьте поле пустым, чтобы использовать «Загрузки».</translation>
    </message>
    <message>
        <source>Only if the database asks for one</source>
        <translation>Только если база данных его требует</translation>
    </message>
    <message>
        <source>Save the password in the system password store</source>
        <translation>Сохранить пароль в системном хранилище паролей</translation>
    </message>
    <message>
        <source>No system password store is available, so the password is kept only while ExportDesk runs.</source>
        <translation>Системное хранилище паролей недоступно, поэтому пароль хранится только до выхода из ExportDesk.</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Пароль:</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Пароль базы данных</translation>
    </message>
    <message>
        <source>Type a database URL, or choose the demo source.</source>
        <translation>Введите URL базы данных или выберите демо-источник.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Токен Bearer</translation>
    </message>
    <message>
        <source>User name and password (Basic)</source>
        <translation>Имя пользователя и пароль (Basic)</translation>
    </message>
    <message>
        <source>API key in a header</source>
        <translation>Ключ API в заголовке</translation>
    </message>
    <message>
        <source>None: one request</source>
        <translation>Нет: один запрос</translation>
    </message>
    <message>
        <source>Next page URL in the body</source>
        <translation>URL следующей страницы в ответе</translation>
    </message>
    <message>
        <source>Link header (rel=&quot;next&quot;)</source>
        <translation>Заголовок Link (rel=&quot;next&quot;)</translation>
    </message>
    <message>
        <source>Cursor in the body</source>
        <translation>Курсор в ответе</translation>
    </message>
    <message>
        <source>Offset and limit</source>
        <translation>Смещение и лимит</translation>
    </message>
    <message>
        <source>Type an SQLAlchemy URL, e.g. postgresql+psycopg://user@host/shop, or choose Connection fields.</source>
        <translation>Введите URL SQLAlchemy, например, postgresql+psycopg://user@host/shop, или выберите «Поля подключения».</translation>
    </message>
    <message>
        <source>The URL “{url}” is not a valid SQLAlchemy URL. Use the form dialect://user@host/database, e.g. sqlite:////home/me/shop.db.</source>
        <translation>URL «{url}» не является правильным URL SQLAlchemy. Используйте вид dialect://user@host/database, например, sqlite:////home/me/shop.db.</translation>
    </message>
    <message>
        <source>The database kind “{kind}” is unknown. Check the start of the URL, e.g. postgresql+psycopg:// or sqlite:///.</source>
        <translation>Вид базы данных «{kind}» неизвестен. Проверьте начало URL, например, postgresql+psycopg:// или sqlite:///.</translation>
    </message>
    <message>
        <source>The driver for “{kind}” is not installed. Install it, or name an installed driver in the URL, e.g. postgresql+psycopg://.</source>
        <translation>Драйвер для «{kind}» не установлен. Установите его или укажите в URL установленный драйвер, например, postgresql+psycopg://.</translation>
    </message>
    <message>
        <source>Type the path of the SQLite file, e.g. /home/me/shop.db.</source>
        <translation>Введите путь к файлу SQLite, например, /home/me/shop.db.</translation>
    </message>
    <message>
        <source>Type the server&apos;s host name, e.g. 127.0.0.1.</source>
        <translation>Введите имя сервера, например, 127.0.0.1.</translation>
    </message>
    <message>
        <source>Type the database name.</source>
        <translation>Введите имя базы данных.</translation>
    </message>
    <message>
        <source>The endpoint line “{line}” is not valid. Write one NAME=PATH per line, e.g. orders=/api/orders.</source>
        <translation>Строка конечной точки «{line}» неправильная. Пишите по одной строке ИМЯ=ПУТЬ, например, orders=/api/orders.</translation>
    </message>
    <message>
        <source>The endpoint “{name}” appears twice. Give each endpoint its own name.</source>
        <translation>Конечная точка «{name}» указана дважды. Дайте каждой конечной точке своё имя.</translation>
    </message>
    <message>
        <source>Add at least one endpoint, one NAME=PATH per line, e.g. orders=/api/orders.</source>
        <translation>Добавьте хотя бы одну конечную точку, по одной строке ИМЯ=ПУТЬ, например, orders=/api/orders.</translation>
    </message>
    <message>
        <source>The base URL “{url}” is not valid. Use http://host or https://host, e.g. https://api.example.com.</source>
        <translation>Базовый URL «{url}» неправильный. Используйте http://host или https://host, например, https://api.example.com.</translation>
    </message>
    <message>
        <source>Type the user name for Basic authentication, without a colon.</source>
        <translation>Введите имя пользователя для аутентификации Basic, без двоеточия.</translation>
    </message>
    <message>
        <source>The endpoint “{name}” leads to another server. Use a path on the base URL, e.g. /api/{name}.</source>
        <translation>Конечная точка «{name}» ведёт на другой сервер. Используйте путь на базовом URL, например, /api/{name}.</translation>
    </message>
    <message>
        <source>The header name “{header}” is not valid. Use letters, digits and hyphens, e.g. X-API-Key.</source>
        <translation>Имя заголовка «{header}» неправильное. Используйте буквы, цифры и дефисы, например, X-API-Key.</translation>
    </message>
    <message>
        <source>The records path “{path}” is not valid. Use key names joined by dots, e.g. data.items, or leave it empty when the body is the list.</source>
        <translation>Путь к записям «{path}» неправильный. Укажите имена ключей через точку, например, data.items, или оставьте поле пустым, если тело ответа — сам список.</translation>
    </message>
    <message>
        <source>Stored: no files</source>
        <translation>Хранится: нет файлов</translation>
    </message>
    <message numerus="yes">
        <source>Stored: %Ln file(s), {size}</source>
        <translation>
            <numerusform>Хранится: %Ln файл, {size}</numerusform>
            <numerusform>Хранится: %Ln файла, {size}</numerusform>
            <numerusform>Хранится: %Ln файлов, {size}</numerusform>
        </translation>
    </message>
    <message>
        <source>Running: {running} · Queued: {queued}</source>
        <translation>Выполняется: {running} · В очереди: {queued}</translation>
    </message>
    <message>
        <source>Ready files kept in the data folder, and their total size</source>
        <translation>Готовые файлы в папке данных и их общий размер</translation>
    </message>
    <message>
        <source>Number of running and queued exports</source>
        <translation>Число выполняющихся экспортов и экспортов в очереди</translation>
    </message>
    <message>
        <source>Export ready</source>
        <translation>Экспорт готов</translation>
    </message>
    <message numerus="yes">
        <source>{name}: %Ln row(s), {size}</source>
        <translation>
            <numerusform>{name}: %Ln строка, {size}</numerusform>
            <numerusform>{name}: %Ln строки, {size}</numerusform>
            <numerusform>{name}: %Ln строк, {size}</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Экспорт завершился ошибкой</translation>
    </message>
    <message>
        <source>Show ExportDesk</source>
        <translation>Показать ExportDesk</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <source>ExportDesk: no exports running</source>
        <translation>ExportDesk: нет выполняющихся экспортов</translation>
    </message>
    <message>
        <source>ExportDesk: running {running}, queued {queued}</source>
        <translation>ExportDesk: выполняется {running}, в очереди {queued}</translation>
    </message>
    <message>
        <source>{name}: {time_left} left</source>
        <translation>{name}: осталось {time_left}</translation>
    </message>
    <message>
        <source>{remaining} left before the file is deleted.</source>
        <translation>До удаления файла осталось: {remaining}.</translation>
    </message>
    <message>
        <source>The export “{name}” has not been downloaded: {remaining} left before its file is deleted.</source>
        <translation>Экспорт «{name}» ещё не скачан. До удаления файла осталось: {remaining}.</translation>
    </message>
    <message>
        <source>{name} ({remaining} left)</source>
        <translation>{name} (осталось: {remaining})</translation>
    </message>
    <message>
        <source>Exports not downloaded yet: {exports}. Their files are deleted when the time is up.</source>
        <translation>Ещё не скачаны экспорты: {exports}. Их файлы будут удалены, когда время выйдет.</translation>
    </message>
    <message>
        <source>Download the file before it is deleted</source>
        <translation>Скачайте файл, пока он не удалён</translation>
    </message>
    <message>
        <source>File verified: it matches the recorded checksum.</source>
        <translation>Файл проверен: совпадает с записанной контрольной суммой.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s) verified against the manifest, no differences.</source>
        <translation>
            <numerusform>Проверен %Ln файл, расхождений с манифестом нет.</numerusform>
            <numerusform>Проверено %Ln файла, расхождений с манифестом нет.</numerusform>
            <numerusform>Проверено %Ln файлов, расхождений с манифестом нет.</numerusform>
        </translation>
    </message>
    <message>
        <source>These files in {archive} do not match the manifest: {names}. The archive was changed or damaged after the export.</source>
        <translation>Эти файлы в архиве {archive} не совпадают с манифестом: {names}. Архив был изменён или повреждён после экспорта.</translation>
    </message>
    <message>
        <source>The file {name} does not match the recorded checksum: it was changed or damaged after the export.</source>
        <translation>Файл {name} не совпадает с записанной контрольной суммой: он был изменён или повреждён после экспорта.</translation>
    </message>
    <message>
        <source>The archive {name} could not be checked against its manifest: it is damaged.</source>
        <translation>Архив {name} не удалось сверить с манифестом: он повреждён.</translation>
    </message>
    <message>
        <source>Verifying {file}…</source>
        <translation>Проверка {file}…</translation>
    </message>
    <message>
        <source>Could not read the file {name}. Check the permissions of the data folder.</source>
        <translation>Не удалось прочитать файл {name}. Проверьте права доступа к папке данных.</translation>
    </message>
    <message>
        <source>Could not verify the file {name}. If this repeats, send the log to support.</source>
        <translation>Не удалось проверить файл {name}. Если ошибка повторится, отправьте журнал в поддержку.</translation>
    </message>
    <message>
        <source>Verify file</source>
        <translation>Проверить файл</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Экспорт</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Действия</translation>
    </message>
    <message>
        <source>Edit source</source>
        <translation>Изменение источника</translation>
    </message>
    <message>
        <source>Add source</source>
        <translation>Добавление источника</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>П&amp;ароль:</translation>
    </message>
    <message>
        <source>The password is saved in the system password store, never in the settings.</source>
        <translation>Пароль сохраняется в системном хранилище паролей, а не в настройках.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Название:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Вид:</translation>
    </message>
    <message>
        <source>SQLAlchemy &amp;URL</source>
        <translation>&amp;URL SQLAlchemy</translation>
    </message>
    <message>
        <source>Connection &amp;fields</source>
        <translation>&amp;Поля подключения</translation>
    </message>
    <message>
        <source>default</source>
        <translation>по умолчанию</translation>
    </message>
    <message>
        <source>Data&amp;base:</source>
        <translation>&amp;База данных:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>&amp;Driver:</source>
        <translation>&amp;Драйвер:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>Се&amp;рвер:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>Пор&amp;т:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>По&amp;льзователь:</translation>
    </message>
    <message>
        <source>One NAME=PATH per line, e.g. orders=/api/orders</source>
        <translation>По одной строке ИМЯ=ПУТЬ, например, orders=/api/orders</translation>
    </message>
    <message>
        <source>e.g. data.items; empty when the body is the list</source>
        <translation>например, data.items; пусто, если ответ — сам список</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>&amp;Базовый URL:</translation>
    </message>
    <message>
        <source>&amp;Endpoints:</source>
        <translation>&amp;Конечные точки:</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>&amp;Аутентификация:</translation>
    </message>
    <message>
        <source>API key &amp;header:</source>
        <translation>&amp;Заголовок ключа API:</translation>
    </message>
    <message>
        <source>&amp;Pagination:</source>
        <translation>&amp;Разбивка на страницы:</translation>
    </message>
    <message>
        <source>&amp;Records path:</source>
        <translation>Путь к &amp;записям:</translation>
    </message>
    <message>
        <source>Source name</source>
        <translation>Название источника</translation>
    </message>
    <message>
        <source>Source kind</source>
        <translation>Вид источника</translation>
    </message>
    <message>
        <source>Database driver</source>
        <translation>Драйвер базы данных</translation>
    </message>
    <message>
        <source>Database server host</source>
        <translation>Сервер базы данных</translation>
    </message>
    <message>
        <source>Database server port</source>
        <translation>Порт сервера базы данных</translation>
    </message>
    <message>
        <source>Database name or SQLite file</source>
        <translation>Имя базы данных или файл SQLite</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>Пользователь базы данных</translation>
    </message>
    <message>
        <source>API base URL</source>
        <translation>Базовый URL API</translation>
    </message>
    <message>
        <source>API endpoints</source>
        <translation>Конечные точки API</translation>
    </message>
    <message>
        <source>API authentication</source>
        <translation>Аутентификация API</translation>
    </message>
    <message>
        <source>API user</source>
        <translation>Пользователь API</translation>
    </message>
    <message>
        <source>API key header</source>
        <translation>Заголовок ключа API</translation>
    </message>
    <message>
        <source>API pagination</source>
        <translation>Разбивка API на страницы</translation>
    </message>
    <message>
        <source>API records path</source>
        <translation>Путь к записям API</translation>
    </message>
    <message>
        <source>Password or token</source>
        <translation>Пароль или токен</translation>
    </message>
    <message>
        <source>Leave empty to keep the saved password</source>
        <translation>Оставьте пустым, чтобы сохранить прежний пароль</translation>
    </message>
    <message>
        <source>SQLite &amp;file:</source>
        <translation>&amp;Файл SQLite:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Токен:</translation>
    </message>
    <message>
        <source>No system password store is available, so the password will be asked each time you export.</source>
        <translation>Системное хранилище паролей недоступно, поэтому пароль будет запрашиваться при каждом экспорте.</translation>
    </message>
    <message>
        <source>Type a name for the source.</source>
        <translation>Введите название источника.</translation>
    </message>
    <message>
        <source>A source called “{name}” already exists. Choose another name, or edit that source.</source>
        <translation>Источник «{name}» уже существует. Выберите другое название или измените тот источник.</translation>
    </message>
    <message>
        <source>The password could not be saved. Try again; if it repeats, send the log to support.</source>
        <translation>Не удалось сохранить пароль. Попробуйте снова; если ошибка повторится, отправьте журнал в поддержку.</translation>
    </message>
    <message>
        <source>Connection established</source>
        <translation>Подключение установлено</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>В очереди</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Выполняется</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>Retention period expired</source>
        <translation>Срок хранения истёк</translation>
    </message>
    <message>
        <source>The export was interrupted. Export again to start it anew.</source>
        <translation>Экспорт прерван. Запустите экспорт заново.</translation>
    </message>
    <message>
        <source>Could not connect to the data source. Check that it is available and export again.</source>
        <translation>Не удалось подключиться к источнику данных. Проверьте, что он доступен, и повторите экспорт.</translation>
    </message>
    <message>
        <source>The database is locked by another program. Close that program or wait until it finishes, then export again.</source>
        <translation>База данных заблокирована другой программой. Закройте эту программу или дождитесь, пока она закончит работу, и запустите экспорт снова.</translation>
    </message>
    <message>
        <source>The table was not found in the source. Check the selection and export again.</source>
        <translation>Таблица не найдена в источнике. Проверьте выбор и повторите экспорт.</translation>
    </message>
    <message>
        <source>A chosen column was not found in the table. Choose the columns again and export.</source>
        <translation>Выбранный столбец не найден в таблице. Выберите столбцы заново и повторите экспорт.</translation>
    </message>
    <message>
        <source>The database rejected the query. Check the query text and export again.</source>
        <translation>База данных отклонила запрос. Проверьте текст запроса и повторите экспорт.</translation>
    </message>
    <message>
        <source>Not enough disk space. Free some space and export again.</source>
        <translation>Недостаточно места на диске. Освободите место и повторите экспорт.</translation>
    </message>
    <message>
        <source>No permission to write the file. Check the folder&apos;s permissions and export again.</source>
        <translation>Нет прав на запись файла. Проверьте права доступа к папке и повторите экспорт.</translation>
    </message>
    <message>
        <source>The source rejected the user name or password. Check them and export again.</source>
        <translation>Источник отклонил имя пользователя или пароль. Проверьте их и повторите экспорт.</translation>
    </message>
    <message>
        <source>Some text cannot be written in the chosen encoding. Choose UTF-8 and export again.</source>
        <translation>Часть текста нельзя записать в выбранной кодировке. Выберите UTF-8 и повторите экспорт.</translation>
    </message>
    <message>
        <source>The service&apos;s response is not the data its settings expect. Check the source settings and export again.</source>
        <translation>Ответ сервиса не совпадает с тем, что ожидают настройки источника. Проверьте настройки и повторите экспорт.</translation>
    </message>
    <message>
        <source>The export failed because of an internal error. Export again; if it repeats, send the log to support.</source>
        <translation>Экспорт не удался из-за внутренней ошибки. Повторите экспорт; если ошибка повторится, отправьте журнал в поддержку.</translation>
    </message>
    <message>
        <source>The table «{subject}» was not found in the source. Check the selection and export again.</source>
        <translation>Таблица «{subject}» не найдена в источнике. Проверьте выбор и повторите экспорт.</translation>
    </message>
    <message>
        <source>The column «{subject}» was not found in the table. Choose the columns again and export.</source>
        <translation>Столбец «{subject}» не найден в таблице. Выберите столбцы заново и повторите экспорт.</translation>
    </message>
    <message>
        <source>Could not open the data source {subject}. Check that it is available and export again.</source>
        <translation>Не удалось открыть источник данных {subject}. Проверьте, что он доступен, и повторите экспорт.</translation>
    </message>
    <message>
        <source>Some text cannot be written in the encoding {subject}. Choose UTF-8 and export again.</source>
        <translation>Часть текста нельзя записать в кодировке {subject}. Выберите UTF-8 и повторите экспорт.</translation>
    </message>
    <message>
        <source>The database rejected the query: {subject}. Fix the query and export again.</source>
        <translation>База данных отклонила запрос: {subject}. Исправьте запрос и запустите экспорт снова.</translation>
    </message>
    <message>
        <source>The file is no longer available: its retention period has expired. Export again.</source>
        <translation>Файл больше недоступен: срок хранения истёк. Запустите экспорт заново.</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation>Экспорт отменён.</translation>
    </message>
    <message>
        <source>less than a minute</source>
        <translation>меньше минуты</translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s)</source>
        <translation>
            <numerusform>%Ln день</numerusform>
            <numerusform>%Ln дня</numerusform>
            <numerusform>%Ln дней</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln minute(s)</source>
        <translation>
            <numerusform>%Ln минута</numerusform>
            <numerusform>%Ln минуты</numerusform>
            <numerusform>%Ln минут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln hour(s)</source>
        <translation>
            <numerusform>%Ln час</numerusform>
            <numerusform>%Ln часа</numerusform>
            <numerusform>%Ln часов</numerusform>
        </translation>
    </message>
    <message>
        <source>Sources…</source>
        <translation>Источники…</translation>
    </message>
    <message>
        <source>Add, edit, test and remove saved data sources</source>
        <translation>Добавить, изменить, проверить или удалить сохранённые источники данных</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Источники</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>No saved sources yet. Add one to export from your own database or API.</source>
        <translation>Сохранённых источников пока нет. Добавьте источник, чтобы экспортировать из своей базы данных или API.</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Добавить…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Изменить…</translation>
    </message>
    <message>
        <source>Choose a saved source, or add one with Sources…</source>
        <translation>Выберите сохранённый источник или добавьте его кнопкой «Источники…»</translation>
    </message>
    <message>
        <source>Sa&amp;ved source:</source>
        <translation>Со&amp;хранённый источник:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Проверить подключение</translation>
    </message>
    <message>
        <source>S&amp;ources…</source>
        <translation>&amp;Источники…</translation>
    </message>
    <message>
        <source>Saved source</source>
        <translation>Сохранённый источник</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Результат проверки подключения</translation>
    </message>
    <message>
        <source>{name} ({kind})</source>
        <translation>{name} ({kind})</translation>
    </message>
    <message>
        <source>No saved sources: add one with Sources…</source>
        <translation>Нет сохранённых источников: добавьте источник кнопкой «Источники…»</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Удалить…</translation>
    </message>
    <message>
        <source>Saved sources</source>
        <translation>Сохранённые источники</translation>
    </message>
    <message>
        <source>This source no longer exists: it was removed.</source>
        <translation>Этого источника больше нет: он был удалён.</translation>
    </message>
    <message>
        <source>Source “{name}” saved.</source>
        <translation>Источник «{name}» сохранён.</translation>
    </message>
    <message>
        <source>Testing “{name}”…</source>
        <translation>Проверка «{name}»…</translation>
    </message>
    <message>
        <source>Remove source</source>
        <translation>Удаление источника</translation>
    </message>
    <message>
        <source>Remove the source “{name}” and its saved password? Exports already made from it are kept.</source>
        <translation>Удалить источник «{name}» и его сохранённый пароль? Уже сделанные из него экспорты сохранятся.</translation>
    </message>
    <message>
        <source>Source “{name}” removed.</source>
        <translation>Источник «{name}» удалён.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln байт</numerusform>
            <numerusform>%Ln байта</numerusform>
            <numerusform>%Ln байт</numerusform>
        </translation>
    </message>
    <message>
        <source>Export estimate</source>
        <translation>Оценка экспорта</translation>
    </message>
    <message>
        <source>Estimating the export…</source>
        <translation>Оценка экспорта…</translation>
    </message>
    <message>
        <source>Rows (estimate): {rows}. File size (estimate): {size}.</source>
        <translation>Строк (оценка): {rows}. Размер файла (оценка): {size}.</translation>
    </message>
    <message>
        <source>Rows (estimate): {rows}.</source>
        <translation>Строк (оценка): {rows}.</translation>
    </message>
    <message>
        <source>Could not estimate the export: {reason}</source>
        <translation>Не удалось оценить экспорт: {reason}</translation>
    </message>
    <message>
        <source>SQL database</source>
        <translation>База данных SQL</translation>
    </message>
    <message>
        <source>HTTP JSON API</source>
        <translation>HTTP JSON API</translation>
    </message>
    <message>
        <source>usage: </source>
        <translation>использование: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>аргументы</translation>
    </message>
    <message>
        <source>options</source>
        <translation>параметры</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>показать эту справку и выйти</translation>
    </message>
    <message>
        <source>%(prog)s: error: %(message)s
</source>
        <translation>%(prog)s: ошибка: %(message)s
</translation>
    </message>
    <message>
        <source>argument %(argument_name)s: %(message)s</source>
        <translation>%(argument_name)s: %(message)s</translation>
    </message>
    <message>
        <source>the following arguments are required: %s</source>
        <translation>не указаны обязательные аргументы: %s</translation>
    </message>
    <message>
        <source>one of the arguments %s is required</source>
        <translation>нужен один из аргументов %s</translation>
    </message>
    <message>
        <source>invalid choice: %(value)r (choose from %(choices)s)</source>
        <translation>недопустимое значение %(value)r (допустимые: %(choices)s)</translation>
    </message>
    <message>
        <source>invalid %(type)s value: %(value)r</source>
        <translation>недопустимое значение %(value)r (ожидается %(type)s)</translation>
    </message>
    <message>
        <source>unrecognized arguments: %s</source>
        <translation>неизвестные аргументы: %s</translation>
    </message>
    <message>
        <source>not allowed with argument %s</source>
        <translation>нельзя указывать вместе с %s</translation>
    </message>
    <message>
        <source>ignored explicit argument %r</source>
        <translation>параметр не принимает значения, а указано %r</translation>
    </message>
    <message>
        <source>expected one argument</source>
        <translation>нужно одно значение</translation>
    </message>
    <message>
        <source>expected at most one argument</source>
        <translation>нужно не больше одного значения</translation>
    </message>
    <message>
        <source>expected at least one argument</source>
        <translation>нужно хотя бы одно значение</translation>
    </message>
    <message>
        <source>ambiguous option: %(option)s could match %(matches)s</source>
        <translation>неоднозначный параметр %(option)s: подходят %(matches)s</translation>
    </message>
    <message>
        <source>unexpected option string: %s</source>
        <translation>неожиданный параметр %s</translation>
    </message>
    <message>
        <source>unknown parser %(parser_name)r (choices: %(choices)s)</source>
        <translation>неизвестная команда %(parser_name)r (допустимые: %(choices)s)</translation>
    </message>
    <message numerus="yes">
        <source>expected %s argument(s)</source>
        <translation>
            <numerusform>нужно %s значение</numerusform>
            <numerusform>нужно %s значения</numerusform>
            <numerusform>нужно %s значений</numerusform>
        </translation>
    </message>
    <message>
        <source>unknown HTTP source settings {names}: save the source again in this version of ExportDesk</source>
        <translation>неизвестные настройки HTTP-источника {names}: сохраните источник заново в этой версии ExportDesk</translation>
    </message>
    <message>
        <source>invalid timeout {value}: use two numbers of seconds above 0, to connect and to read</source>
        <translation>недопустимое время ожидания {value}: укажите два числа секунд больше 0 — на подключение и на чтение</translation>
    </message>
    <message>
        <source>invalid retry count {value}: use a whole number of 0 or more</source>
        <translation>недопустимое число повторов {value}: укажите целое число от 0 и больше</translation>
    </message>
    <message>
        <source>invalid rate limit {value}: use requests per second above 0, or 0 for no limit</source>
        <translation>недопустимое ограничение частоты {value}: укажите число запросов в секунду больше 0 или 0, чтобы не ограничивать</translation>
    </message>
    <message>
        <source>invalid base URL {url}: use http://host or https://host, e.g. https://api.example.com</source>
        <translation>недопустимый базовый URL {url}: укажите http://хост или https://хост, например https://api.example.com</translation>
    </message>
    <message>
        <source>no endpoints: add at least one endpoint as NAME=PATH, e.g. orders=/api/orders</source>
        <translation>не указано ни одной конечной точки: добавьте хотя бы одну в виде ИМЯ=ПУТЬ, например orders=/api/orders</translation>
    </message>
    <message>
        <source>invalid endpoint {name}: give it a name and a path, e.g. orders=/api/orders</source>
        <translation>недопустимая конечная точка {name}: укажите её имя и путь, например orders=/api/orders</translation>
    </message>
    <message>
        <source>endpoint {name} leads outside {url}: use a path on that server, e.g. {example}</source>
        <translation>конечная точка {name} ведёт за пределы {url}: укажите путь на этом сервере, например {example}</translation>
    </message>
    <message>
        <source>invalid authentication {value}: use one of {choices}</source>
        <translation>недопустимый способ аутентификации {value}: укажите одно из значений {choices}</translation>
    </message>
    <message>
        <source>basic authentication needs a user name: give one, without a colon</source>
        <translation>для аутентификации basic нужно имя пользователя: укажите его без двоеточия</translation>
    </message>
    <message>
        <source>invalid user name {user} for basic authentication: give a user name without a colon</source>
        <translation>недопустимое имя пользователя {user} для аутентификации basic: укажите имя без двоеточия</translation>
    </message>
    <message>
        <source>invalid API key header name {header}: use letters, digits and hyphens, e.g. X-API-Key</source>
        <translation>недопустимое имя заголовка для ключа API {header}: используйте латинские буквы, цифры и дефисы, например X-API-Key</translation>
    </message>
    <message>
        <source>authentication {auth} needs a saved token or password: save the source again and give it</source>
        <translation>для аутентификации {auth} нужен сохранённый токен или пароль: сохраните источник заново и укажите его</translation>
    </message>
    <message>
        <source>invalid pagination style {value}: use one of {choices}</source>
        <translation>недопустимый способ разбивки на страницы {value}: укажите одно из значений {choices}</translation>
    </message>
    <message>
        <source>invalid page size {value}: use a whole number of 1 or more</source>
        <translation>недопустимый размер страницы {value}: укажите целое число от 1 и больше</translation>
    </message>
    <message>
        <source>invalid records path {value}: use key names joined by dots, e.g. data.items, or leave it empty when the body is the list</source>
        <translation>недопустимый путь к записям {value}: укажите имена ключей через точку, например data.items, или оставьте путь пустым, если тело ответа — сам список</translation>
    </message>
    <message>
        <source>invalid total path {value}: use key names joined by dots, e.g. meta.total, or leave it empty when the API gives no total</source>
        <translation>недопустимый путь к общему числу записей {value}: укажите имена ключей через точку, например meta.total, или оставьте путь пустым, если API не сообщает общее число</translation>
    </message>
    <message>
        <source>invalid next page URL path {value}: use key names joined by dots, e.g. next</source>
        <translation>недопустимый путь к URL следующей страницы {value}: укажите имена ключей через точку, например next</translation>
    </message>
    <message>
        <source>invalid cursor path {value}: use key names joined by dots, e.g. next_cursor</source>
        <translation>недопустимый путь к курсору {value}: укажите имена ключей через точку, например next_cursor</translation>
    </message>
    <message>
        <source>The data folder {path} belongs to another user (user ID {uid}). Choose a folder of your own with --data-dir or $EXPORTDESK_DATA_DIR.</source>
        <translation>Папка данных {path} принадлежит другому пользователю (идентификатор пользователя {uid}). Выберите свою папку с помощью --data-dir или $EXPORTDESK_DATA_DIR.</translation>
    </message>
    <message>
        <source>Other users can write to the data folder {path} (mode {mode}). Run {command} so that only you can use it.</source>
        <translation>Другие пользователи могут записывать в папку данных {path} (права {mode}). Выполните {command}, чтобы папкой могли пользоваться только вы.</translation>
    </message>
    <message>
        <source>The storage folder {path} is a symbolic link. Replace it with a real folder.</source>
        <translation>Папка хранилища {path} — символическая ссылка. Замените её обычной папкой.</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>доступ запрещён</translation>
    </message>
    <message>
        <source>the file system is read-only</source>
        <translation>файловая система доступна только для чтения</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>диск заполнен</translation>
    </message>
    <message>
        <source>a part of the path is not a folder</source>
        <translation>часть пути не является папкой</translation>
    </message>
    <message>
        <source>the job database is read-only</source>
        <translation>база заданий доступна только для чтения</translation>
    </message>
    <message>
        <source>the job database file cannot be opened</source>
        <translation>не удаётся открыть файл базы заданий</translation>
    </message>
    <message>
        <source>the job database is locked by another program</source>
        <translation>база заданий заблокирована другой программой</translation>
    </message>
    <message>
        <source>{path} is not a folder, so it cannot be the data folder. Choose a folder with --data-dir or $EXPORTDESK_DATA_DIR.</source>
        <translation>{path} — не папка, поэтому не может быть папкой данных. Выберите папку с помощью --data-dir или $EXPORTDESK_DATA_DIR.</translation>
    </message>
    <message>
        <source>Cannot open the data folder {path}: {reason}. Check that it exists and that you can write to it, or choose another with --data-dir or $EXPORTDESK_DATA_DIR.</source>
        <translation>Не удаётся открыть папку данных {path}: {reason}. Проверьте, что она существует и вы можете в неё записывать, или выберите другую с помощью --data-dir или $EXPORTDESK_DATA_DIR.</translation>
    </message>
    <message>
        <source>{name} has no manifest.json, so its files cannot be checked: export again</source>
        <translation>в архиве {name} нет файла manifest.json, поэтому его содержимое нельзя проверить: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} is listed in the manifest but missing: export again</source>
        <translation>{name} указан в манифесте, но отсутствует в архиве: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} differs from the manifest (SHA-256 or size), so it was changed or damaged after the export: export again</source>
        <translation>{name} не совпадает с манифестом (SHA-256 или размер), значит, файл изменён или повреждён после экспорта: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} is not listed in the manifest, so it was added after the export: remove it or export again</source>
        <translation>{name} не указан в манифесте, значит, файл добавлен после экспорта: удалите его или запустите экспорт снова</translation>
    </message>
    <message>
        <source>the manifest.json in {name} is damaged and cannot be read: export again</source>
        <translation>файл manifest.json в архиве {name} повреждён и не читается: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} does not match the recorded SHA-256, so it was changed or damaged after the export: export again</source>
        <translation>{name} не совпадает с записанной суммой SHA-256, значит, файл изменён или повреждён после экспорта: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} is {size} bytes, not the recorded {recorded}, so it was changed or damaged after the export: export again</source>
        <translation>размер {name} в байтах — {size}, а записан {recorded}, значит, файл изменён или повреждён после экспорта: запустите экспорт снова</translation>
    </message>
    <message>
        <source>{name} is not a ZIP archive or is damaged: check the file or export again</source>
        <translation>{name} не является ZIP-архивом или повреждён: проверьте файл или запустите экспорт снова</translation>
    </message>
    <message>
        <source>cannot read {name}: check that the file exists and that you can read it</source>
        <translation>не удаётся прочитать {name}: проверьте, что файл существует и у вас есть право на его чтение</translation>
    </message>
    <message>
        <source>The source URL is not valid: use an SQLAlchemy URL such as sqlite:///path/to/file.db</source>
        <translation>Недопустимый URL источника: укажите URL SQLAlchemy, например sqlite:///path/to/file.db</translation>
    </message>
    <message>
        <source>Unknown database kind {kind} in the source URL: check its scheme</source>
        <translation>Неизвестный тип базы данных {kind} в URL источника: проверьте схему URL</translation>
    </message>
    <message>
        <source>The driver for {kind} is not installed ({module}): install it with pip, or name an installed driver in the URL, such as postgresql+psycopg:// or mysql+pymysql://</source>
        <translation>Драйвер для {kind} не установлен ({module}): установите его через pip или укажите в URL установленный драйвер, например postgresql+psycopg:// или mysql+pymysql://</translation>
    </message>
    <message>
        <source>Unsupported format {format}: use one of {choices}</source>
        <translation>Формат {format} не поддерживается: выберите один из {choices}</translation>
    </message>
    <message>
        <source>Choose either one or more tables or a query</source>
        <translation>Выберите одну или несколько таблиц либо запрос</translation>
    </message>
    <message>
        <source>The query is empty: type a query or choose tables</source>
        <translation>Запрос пуст: введите запрос или выберите таблицы</translation>
    </message>
    <message>
        <source>Retention {seconds} s is too short: use at least 1 s</source>
        <translation>Срок хранения {seconds} с слишком мал: укажите не меньше 1 с</translation>
    </message>
    <message>
        <source>Retention {seconds} s is too long: use at most {days} days</source>
        <translation>Срок хранения {seconds} с слишком велик: укажите не больше {days} дней</translation>
    </message>
    <message>
        <source>An HTTP JSON API source has no SQL: choose its endpoints as tables</source>
        <translation>У источника HTTP JSON API нет SQL: выберите его конечные точки как таблицы</translation>
    </message>
    <message>
        <source>Columns can be chosen for a single table only: choose one table, or export all columns</source>
        <translation>Столбцы можно выбрать только для одной таблицы: выберите одну таблицу или экспортируйте все столбцы</translation>
    </message>
    <message>
        <source>The column list is empty: choose at least one column</source>
        <translation>Список столбцов пуст: выберите хотя бы один столбец</translation>
    </message>
    <message>
        <source>The column list contains an empty name: remove it</source>
        <translation>В списке столбцов есть пустое имя: удалите его</translation>
    </message>
    <message>
        <source>Column {column} is listed twice: list each column once</source>
        <translation>Столбец {column} указан дважды: укажите каждый столбец один раз</translation>
    </message>
    <message>
        <source>Column {column} not found in table {table}: use one of {choices}</source>
        <translation>Столбец {column} не найден в таблице {table}: укажите один из {choices}</translation>
    </message>
    <message>
        <source>{path} is not a folder: remove the trailing slash or create the folder</source>
        <translation>{path} не папка: уберите косую черту в конце или создайте папку</translation>
    </message>
    <message>
        <source>{path} is not a regular file: choose a file or a folder</source>
        <translation>{path} не обычный файл: выберите файл или папку</translation>
    </message>
    <message>
        <source>Folder {folder} does not exist: create it or choose another</source>
        <translation>Папка {folder} не существует: создайте её или выберите другую</translation>
    </message>
    <message>
        <source>{path} is inside ExportDesk&apos;s storage folder {folder}, where files that belong to no export are deleted: choose another folder</source>
        <translation>{path} находится в папке хранения ExportDesk {folder}, где файлы, не относящиеся ни к одному экспорту, удаляются: выберите другую папку</translation>
    </message>
    <message>
        <source>Invalid line end {value!r}: use lf or crlf</source>
        <translation>Недопустимый конец строки {value!r}: укажите lf или crlf</translation>
    </message>
    <message>
        <source>Unknown encoding {value!r}: use, for example, utf-8 or cp1251</source>
        <translation>Неизвестная кодировка {value!r}: укажите, например, utf-8 или cp1251</translation>
    </message>
    <message>
        <source>The encoding {encoding} always starts with a byte order mark: use {other} for a file without one</source>
        <translation>Кодировка {encoding} всегда начинает файл с метки порядка байтов (BOM): для файла без неё укажите {other}</translation>
    </message>
    <message>
        <source>Invalid delimiter {value!r}: use one character such as , ; or Tab</source>
        <translation>Недопустимый разделитель {value!r}: укажите один символ, например , ; или табуляцию</translation>
    </message>
    <message>
        <source>Invalid delimiter {value!r}: numbers, dates and binary values are written unquoted and can contain it, so use , ; | or Tab</source>
        <translation>Недопустимый разделитель {value!r}: числа, даты и двоичные значения записываются без кавычек и могут его содержать. Укажите , ; | или табуляцию</translation>
    </message>
    <message>
        <source>Invalid quote character {value!r}: use one character other than the delimiter</source>
        <translation>Недопустимый символ кавычек {value!r}: укажите один символ, отличный от разделителя</translation>
    </message>
    <message>
        <source>Invalid quote character {value!r}: numbers, dates and binary values are written unquoted and can contain it, so use &quot; or &apos;</source>
        <translation>Недопустимый символ кавычек {value!r}: числа, даты и двоичные значения записываются без кавычек и могут его содержать. Укажите &quot; или &apos;</translation>
    </message>
    <message>
        <source>A decimal comma needs another delimiter than &apos;,&apos;: use ; | or Tab</source>
        <translation>С десятичной запятой разделителем не может быть «,»: укажите ; | или табуляцию</translation>
    </message>
    <message>
        <source>Invalid NULL marker {value!r}: it must not contain the delimiter, the quote or a line break</source>
        <translation>Недопустимая запись NULL {value!r}: в ней не должно быть разделителя, кавычки или перевода строки</translation>
    </message>
    <message>
        <source>Use {other} with a byte order mark, not {encoding}</source>
        <translation>Укажите {other} с меткой порядка байтов (BOM), а не {encoding}</translation>
    </message>
    <message>
        <source>A byte order mark needs a UTF encoding, not {encoding}</source>
        <translation>Метка порядка байтов (BOM) возможна только с кодировкой UTF, а не {encoding}</translation>
    </message>
    <message>
        <source>Unknown CSV profile {value!r}: use one of {choices}</source>
        <translation>Неизвестный профиль CSV {value!r}: укажите один из: {choices}</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Скорость</translation>
    </message>
    <message>
        <source>less than 1 row/s</source>
        <translation>меньше 1 строки/с</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)/s</source>
        <translation>
            <numerusform>%Ln строка/с</numerusform>
            <numerusform>%Ln строки/с</numerusform>
            <numerusform>%Ln строк/с</numerusform>
        </translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>оценивается…</translation>
    </message>
    <message>
        <source>no progress</source>
        <translation>без движения</translation>
    </message>
    <message>
        <source>about {seconds} s</source>
        <translation>≈ {seconds} с</translation>
    </message>
    <message>
        <source>about {minutes} min {seconds} s</source>
        <translation>≈ {minutes} мин {seconds} с</translation>
    </message>
    <message>
        <source>about {minutes} min</source>
        <translation>≈ {minutes} мин</translation>
    </message>
    <message>
        <source>about {hours} h</source>
        <translation>≈ {hours} ч</translation>
    </message>
    <message>
        <source>about {hours} h {minutes} min</source>
        <translation>≈ {hours} ч {minutes} мин</translation>
    </message>
    <message>
        <source>Expand to choose its columns</source>
        <translation>Разверните, чтобы выбрать столбцы</translation>
    </message>
    <message>
        <source>Loading the columns…</source>
        <translation>Загрузка столбцов…</translation>
    </message>
    <message>
        <source>Column {name}, type {type}</source>
        <translation>Столбец {name}, тип {type}</translation>
    </message>
    <message>
        <source>Column {name}</source>
        <translation>Столбец {name}</translation>
    </message>
    <message>
        <source>The table has no columns to list.</source>
        <translation>У таблицы нет столбцов.</translation>
    </message>
    <message>
        <source>Could not list the columns: {reason}</source>
        <translation>Не удалось получить список столбцов: {reason}</translation>
    </message>
    <message>
        <source>No column of «{table}» is ticked. Tick at least one column.</source>
        <translation>В таблице «{table}» не отмечен ни один столбец. Отметьте хотя бы один столбец.</translation>
    </message>
    <message>
        <source>Columns can be chosen for a single table only. Tick every column of «{table}», or export it alone.</source>
        <translation>Столбцы можно выбрать только для одной таблицы. Отметьте все столбцы таблицы «{table}» или экспортируйте её отдельно.</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Папка:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>&amp;Тип файлов:</translation>
    </message>
</context>
</TS>
