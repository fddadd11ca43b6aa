"""The message catalogue: every sentence a clerk reads, in Chinese (default) and English.

Keys are stable identifiers; templates use ``str.format`` fields.  Keeping them in one
place lets ``--lang en`` switch everything at once and keeps wording consistent.
"""

from __future__ import annotations

LANGS = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    # ---- file-level errors (exit 3) ----
    "path_missing": {
        "zh": "找不到文件或文件夹：{path}",
        "en": "No such file or folder: {path}",
    },
    "folder_empty": {
        "zh": "文件夹中没有可读取的表格文件（.xlsx / .xls / .csv）：{path}",
        "en": "The folder holds no spreadsheet files (.xlsx / .xls / .csv): {path}",
    },
    "file_empty": {
        "zh": "文件是空的（0 字节）：{path}",
        "en": "The file is empty (0 bytes): {path}",
    },
    "file_pdf": {
        "zh": "文件实际是 PDF，不是 Excel 表格，请索取原始 Excel 文件：{path}",
        "en": "The file is a PDF, not a spreadsheet; ask for the original Excel file: {path}",
    },
    "file_encrypted": {
        "zh": "文件设置了打开密码，无法读取；请去掉密码后重新保存：{path}",
        "en": "The workbook is password-protected; remove the password and save it again: {path}",
    },
    "file_corrupt": {
        "zh": "文件已损坏或不完整，无法作为 Excel 打开（{detail}）；请重新索取：{path}",
        "en": "The file is damaged or incomplete and cannot be opened as Excel ({detail}): {path}",
    },
    "file_markup": {
        "zh": "{path} 实际是网页（HTML/XML）格式，只是扩展名为 {suffix}（不少系统这样导出）："
        "请用 Excel 打开后“另存为”Excel 工作簿（.xlsx），再读取另存的文件",
        "en": "{path} is really a web page (HTML/XML) named {suffix}, as many systems export: "
        "open it in Excel, save it as an Excel workbook (.xlsx) and read that",
    },
    "file_not_regular": {
        "zh": "不是普通文件（设备、管道或链接到这类东西），不能读取：{path}",
        "en": "Not a regular file (a device, a pipe, or a link to one): {path}",
    },
    "file_too_big": {
        "zh": "文件声称的内容大得不合理（{detail}），为防止卡死未读取；请重新导出：{path}",
        "en": "The file claims an unreasonable size ({detail}) and was not read; export it "
        "again: {path}",
    },
    "file_binary": {
        "zh": "文件不是文本表格（含二进制内容），无法按 CSV 读取：{path}",
        "en": "The file is not a text table (binary content); it cannot be read as CSV: {path}",
    },
    "file_encoding": {
        "zh": "无法识别文件的文字编码（不是 UTF-8 也不是 GBK）：{path}",
        "en": "Cannot tell the file's text encoding (neither UTF-8 nor GBK): {path}",
    },
    "file_type": {
        "zh": "不支持的文件类型 {suffix}，请使用 .xlsx / .xls / .csv：{path}",
        "en": "Unsupported file type {suffix}; use .xlsx / .xls / .csv: {path}",
    },
    "no_header": {
        "zh": "{path} 中没有找到{kind_zh}表头（前 {scan} 行内没有“姓名”“身份证号码”等列名）",
        "en": "No {kind} header found in {path} (no column names such as 姓名 / 身份证号码 "
        "in the first {scan} rows)",
    },
    "required_column_missing": {
        "zh": "{path}（工作表“{sheet}”）缺少必需的列“{column}”。找到的列有：{found}",
        "en": "{path} (sheet '{sheet}') lacks the required column '{column}'. "
        "Columns found: {found}",
    },
    "required_column_missing_near": {
        "zh": "{path}（工作表“{sheet}”）缺少必需的列“{column}”；最接近的列：“{closest}”"
        "（如确是该列，请在 columns.toml 中指定）。找到的列有：{found}",
        "en": "{path} (sheet '{sheet}') lacks the required column '{column}'; the closest "
        "header is '{closest}' (if it is that column, say so in columns.toml). "
        "Columns found: {found}",
    },
    "required_column_ambiguous": {
        "zh": "{path}（工作表“{sheet}”）有多列都可能是必需的列“{column}”：“{headers}”；"
        "无法确定用哪一列，请删去多余的列或在 columns.toml 中指定",
        "en": "{path} (sheet '{sheet}'): several columns may be the required column "
        "'{column}': '{headers}'; remove the extra ones or name one in columns.toml",
    },
    # ---- facts that could not be read (无法判断) ----
    "gap_no_column": {
        "zh": "{kind_zh} {file}缺少“{column_zh}”列",
        "en": "{kind_zh} {file} has no column '{column_zh}'",
    },
    "gap_ambiguous": {
        "zh": "{kind_zh} {file}有多列可能是“{column_zh}”，无法确定",
        "en": "{kind_zh} {file} has several columns that may be '{column_zh}'",
    },
    "gap_blank": {
        "zh": "{kind_zh} {where}“{column_zh}”为空",
        "en": "{kind_zh} {where}: '{column_zh}' is blank",
    },
    "gap_bad_value": {
        "zh": "{kind_zh} {where}“{column_zh}”填写的“{value}”无法识别",
        "en": "{kind_zh} {where}: '{column_zh}' value '{value}' is not understood",
    },
    "required_column_values": {
        "zh": "{path}（工作表“{sheet}”）的“{header}”列被当作“{column}”，但抽样的值中只有 {share} "
        "像“{column}”（例如“{example}”）：按它匹配会什么也找不到。请确认导出的是正确的列，"
        "或在 columns.toml 中指定",
        "en": "{path} (sheet '{sheet}'): column '{header}' was taken as '{column}', but only "
        "{share} of its sampled values look like one (e.g. '{example}'); matching on it would "
        "find nothing. Check the export, or name the right column in columns.toml",
    },
    # ---- ledger import: rows that cannot be placed ----
    "unknown_rule": {
        "zh": "未知的补贴代码“{rule}”；可选：{choices}",
        "en": "Unknown subsidy code '{rule}'; choose one of: {choices}",
    },
    "import_ambiguous_column": {
        "zh": "{path}：有多列都可能是“{column}”（“{headers}”），看不出发给了谁，未导入。"
        "请在 columns.toml 中指定用哪一列（fengdu columns 可查看识别结果）",
        "en": "{path}: several columns may be '{column}' ({headers}); who was paid "
        "cannot be told, nothing imported. Name the column in columns.toml (see fengdu columns)",
    },
    "import_unknown_program": {
        "zh": "看不出是哪项补贴（“{value}”）：请在表中写明补贴项目，或用 --rule 指定",
        "en": "Which subsidy is this ('{value}')? Name it in the list, or give --rule",
    },
    "import_no_person": {
        "zh": "没有身份证号码，无法确定发给了谁",
        "en": "No ID number: who was paid cannot be told",
    },
    "import_bad_id": {
        "zh": "身份证号码无法使用：{detail}",
        "en": "The ID number cannot be used: {detail}",
    },
    "import_no_month": {
        "zh": "没有发放月份（表中、发放日期或标题中都没有）",
        "en": "No month (not in a column, a payment date or the title)",
    },
    "import_unread_month": {
        "zh": "发放月份“{value}”无法识别为某年某月或某年（如 2024年3月、2024-03、2024年）："
        "请更正为一个月份；一行包含几个月的，请按月分行",
        "en": "The month '{value}' cannot be read as a month or a year (e.g. 2024-03, 2024): "
        "correct it; a row for several months must be split into one row per month",
    },
    "import_bad_month": {
        "zh": "发放月份 {value} 不在该项补贴政策施行期内（{start} 起）或晚于今天（{today}），未导入",
        "en": "Month {value} is before the subsidy began ({start}) or after today ({today}); "
        "not imported",
    },
    "import_two_programs": {
        "zh": "“{value}”写了不止一项补贴：请每行只写一项，或用 --rule 指定",
        "en": "'{value}' names more than one subsidy: one per row, or give --rule",
    },
    "import_bad_amount": {
        "zh": "金额“{value}”不是大于 0 的金额（元，最多两位小数）",
        "en": "Amount '{value}' is not an amount above 0 (yuan, at most 2 decimals)",
    },
    "import_amount_over": {
        "zh": "金额 {amount} 元超过该项补贴任何时期的最高标准（{highest} 元），不能导入：请核实",
        "en": "Amount {amount} is above the most this subsidy ever paid ({highest}); it cannot "
        "be imported: check it",
    },
    "import_amount_mismatch": {
        "zh": "金额 {amount} 元与当时政策标准（{allowed} 元）不符：核实后可加 --accept-amounts 导入",
        "en": "Amount {amount} differs from the policy then ({allowed}); check it, then "
        "--accept-amounts imports it",
    },
    "import_duplicate": {
        "zh": "{rule} {who} 在导入文件的前面几行已出现过（同一人、同一期），本行不重复记录",
        "en": "{rule} {who} appears earlier in the files (same person and period); this row is "
        "not recorded twice",
    },
    "import_already_recorded": {
        "zh": "台账中已有 {rule} {who} 同一期的发放记录，不重复记录",
        "en": "The ledger already holds {rule} {who} for the same period; not recorded twice",
    },
    "import_already_imported": {
        "zh": "该文件已于批次 {batch} 导入，不再导入（如需重导，先冲销该批次）",
        "en": "This file was imported in batch {batch}; void that batch to import it again",
    },
    "output_unwritable": {
        "zh": "无法写入输出文件夹 {path}：{detail}。请检查 --out 等路径（是否被同名文件占用、有无写入权限、磁盘是否已满）",
        "en": "Cannot write to the output folder {path}: {detail}. Check --out and the like "
        "(a file of that name, permissions, a full disk)",
    },
    "db_tampered": {
        "zh": "数据库 {path} 的防改动结构被改过（{detail}）：为防止重复发放，拒绝使用。"
        "请从备份恢复，并用 fengdu ledger check 查看详情",
        "en": "The guards of database {path} were changed ({detail}); it is refused so that "
        "nothing is paid twice. Restore it from a backup; fengdu ledger check says more",
    },
    "db_behind": {
        "zh": "数据库 {path} 与上次入账时记录的台账末尾不符（{detail}）：可能被删改，或换成了较早的备份"
        "或另一个台账——那样会把之后已发放的再发一次，因此拒绝使用。请找回最新的数据库；"
        "确属从备份恢复的，用 fengdu ledger import 补录备份之后已发放的名单（入账后台账即以此为准）",
        "en": "Database {path} does not reach the end recorded at its last commit ({detail}): rows "
        "were removed, or an older backup or another ledger was put in its place, which would "
        "pay again what was paid since. It is refused. Find the latest database; if it really "
        "is a restored backup, record what was paid since with fengdu ledger import",
    },
    "db_unusable": {
        "zh": "无法使用数据库 {path}：{detail}。请检查路径、文件权限和磁盘空间（损坏的数据库请从备份恢复）",
        "en": "Cannot use the database {path}: {detail}. Check the path, its permissions and the "
        "free space (restore a damaged database from a backup)",
    },
    "db_missing": {
        "zh": "数据库 {path} 不存在。入账不会新建数据库（以防路径写错而重复发放）："
        "请检查 --db，或确需新建时加 --new-db",
        "en": "The database {path} does not exist. A commit never creates one (a mistyped path "
        "would pay everyone again): check --db, or add --new-db to create it on purpose",
    },
    "no_history": {
        "zh": "台账中还没有 {month} 之前的任何发放记录（既无导入，也无更早的入账批次），而政策自 "
        "{start} 起执行：直接入账会把手工发过的一次性、每年一次补贴再发一遍。请先用 "
        "fengdu ledger import 导入以往的发放名单；如确实没有以往发放，加 --no-history 再入账",
        "en": "The ledger holds nothing paid before {month} (no import, no earlier batch) while "
        "the policy started {start}: committing now would pay again what was paid by hand. "
        "Import past lists with fengdu ledger import first, or add --no-history on purpose",
    },
    "no_history_warning": {
        "zh": "提示：台账中还没有以往发放记录（导入或更早的批次）；入账前请先导入以往发放名单",
        "en": "Note: the ledger holds no past payments (import or earlier batch); import them "
        "before committing",
    },
    # ---- columns.toml ----
    "columns_invalid": {
        "zh": "列识别设置文件 {path} 有 {count} 处问题，未使用：\n{problems}",
        "en": "The column settings file {path} has {count} problem(s) and was not used:\n"
        "{problems}",
    },
    "columns_line": {"zh": "第 {line} 行：", "en": "line {line}: "},
    "columns_encoding": {
        "zh": "文件不是 UTF-8 编码，请用记事本“另存为 UTF-8”",
        "en": "The file is not UTF-8; save it as UTF-8",
    },
    "columns_syntax": {
        "zh": "TOML 格式错误（{detail}）",
        "en": "TOML syntax error ({detail})",
    },
    "columns_bad_kind": {
        "zh": "未知的数据类型 [{kind}]；可选：{choices}",
        "en": "Unknown kind [{kind}]; choose one of: {choices}",
    },
    "columns_bad_table": {
        "zh": "[{key}] 应为一个表（含 headers 或 values）",
        "en": "[{key}] must be a table (with headers or values)",
    },
    "columns_bad_part": {
        "zh": "[{kind}] 下只能有 headers（表头）和 values（取值），不能有 {part}",
        "en": "[{kind}] may hold only headers and values, not {part}",
    },
    "columns_empty_key": {
        "zh": "[{kind}.headers] 中有空的表头",
        "en": "[{kind}.headers] has an empty header",
    },
    "columns_bad_target": {
        "zh": '表头“{header}”对应的列不是{kind_zh}的列；可选：{choices}，或写 "" 表示不是数据列',
        "en": "Header '{header}' is mapped to no column of {kind}; choose one of: {choices}, "
        'or "" for not a data column',
    },
    "columns_duplicate_key": {
        "zh": "“{key}”与前面的一项去掉空格、全角后相同：同一写法只能对应一处",
        "en": "'{key}' is the same as an earlier entry once spaces and full-width forms are "
        "removed: one spelling can map to one thing only",
    },
    "columns_bad_value_column": {
        "zh": "[{kind}.values.{column}]：只能为这些列设置取值写法：{choices}",
        "en": "[{kind}.values.{column}]: value spellings can be set only for: {choices}",
    },
    "columns_bad_value": {
        "zh": "{column} 的写法“{typed}”对应的“{target}”不是本工具认识的取值",
        "en": "{column}: '{typed}' is mapped to '{target}', which is not a value the tool knows",
    },
    "unknown_kind": {
        "zh": "未知的数据类型 {kind}；可选：{choices}",
        "en": "Unknown kind {kind}; choose one of: {choices}",
    },
    "columns_no_paths": {
        "zh": "请给出要查看的文件或文件夹，或用 --check FILE 检查 columns.toml",
        "en": "Give files or folders to look at, or --check FILE to check a columns.toml",
    },
    "bad_month": {
        "zh": "月份格式不对：{value}，应为 YYYY-MM，例如 2024-06",
        "en": "Bad month {value}; use YYYY-MM, e.g. 2024-06",
    },
    "locked": {
        "zh": "另一个 fengdu 正在运行并占用了数据库（锁文件 {path}），请等它结束后再运行",
        "en": "Another fengdu run holds the database (lock file {path}); try again when it ends",
    },
    "void_reason": {
        "zh": '冲销必须写明原因：--reason "…"',
        "en": 'A void needs a reason: --reason "…"',
    },
    "files_after_commit": {
        "zh": "批次 {batch} 已入账（台账已记录，不要再次入账），但发放文件没能写入 {out}（{detail}）。"
        "腾出空间或改正输出文件夹后，运行 fengdu ledger files --month {month} --out 文件夹 重新写出",
        "en": "Batch {batch} is committed (recorded: do not commit again), but its files could not "
        "be written to {out} ({detail}). Free space or fix the folder, then run "
        "fengdu ledger files --month {month} --out FOLDER to write them again",
    },
    "void_what": {
        "zh": "请用 --month 指定要冲销的月份，或用 --batch 指定批次（二者选一）",
        "en": "Say what to void: --month for a month's batch, or --batch for a batch id (one of them)",
    },
    "no_live_batch": {
        "zh": "{month} 没有已入账且未冲销的批次，没有可重写的文件",
        "en": "{month} has no committed batch whose files could be written again",
    },
    "nothing_to_void": {
        "zh": "{month} 没有已入账且未冲销的批次",
        "en": "{month} has no committed batch to void",
    },
    "internal": {
        "zh": "程序内部错误（{error}）。详细信息已写入日志：{log}，请将该文件发给技术人员",
        "en": "Internal error ({error}). Details are in the log: {log}; send it to the maintainers",
    },
    "ledger_refused_twice": {
        "zh": "台账拒绝入账批次 {batch}：其中 {who} 已有未冲销的同项发放（或本批重复），"
        "本批一笔也未入账、文件未放出。这是程序缺陷，请将本提示发给技术人员",
        "en": "The ledger refused batch {batch}: {who} already has a live payment of the same "
        "subsidy (or appears twice in the batch); nothing was recorded and no file was put in "
        "place. This is a bug: send this message to the maintainers",
    },
    # ---- sheet notices ----
    "sheet_no_header": {
        "zh": "工作表“{sheet}”没有可识别的表头，未读取（其中有 {rows} 行有内容）",
        "en": "Sheet '{sheet}' has no recognisable header and was not read ({rows} non-empty rows)",
    },
    "sheet_not_this_kind": {
        "zh": "工作表“{sheet}”没有姓名、身份证号码等关键列，不是本类名单（如汇总表、下拉选项），"
        "未读取（其中有 {rows} 行有内容）",
        "en": "Sheet '{sheet}' has none of the key columns (name, ID …): not a list of this "
        "kind (a summary or a drop-down list?), not read ({rows} non-empty rows)",
    },
    # ---- skipped (non-person) rows ----
    "skip_subtotal": {"zh": "合计/小计行", "en": "subtotal row"},
    "skip_footer": {"zh": "表尾（填表人、审核人、日期等）", "en": "footer row"},
    "skip_header_repeat": {"zh": "重复的表头行", "en": "repeated header row"},
    "skip_no_person": {
        "zh": "既无姓名也无身份证号码，不是人员行",
        "en": "neither a name nor an ID number: not a person row",
    },
    # ---- row problems (DESIGN §3) ----
    "id_format": {
        "zh": "身份证号码格式错误（应为18位，前17位为数字，末位为数字或X），共 {length} 位",
        "en": "ID number malformed (18 characters: 17 digits then a digit or X); it has {length}",
    },
    "id_invisible": {
        "zh": "身份证号码中夹有看不见的字符（零宽空格等，多为从网页或聊天软件复制），请删除后重新输入",
        "en": "The ID number holds invisible characters (zero-width spaces, usually pasted from "
        "a web page or a chat); delete and type it again",
    },
    "id_checksum": {
        "zh": "身份证号码校验位错误，请核对第7至17位",
        "en": "ID number check digit is wrong; check digits 7 to 17",
    },
    "id_birthdate": {
        "zh": "身份证号码中的出生日期不存在或不合理（{birth}）",
        "en": "The birth date inside the ID number is impossible or implausible ({birth})",
    },
    "id_precision_lost": {
        "zh": "身份证号码被Excel存成了数字（显示为 {value}），后几位已丢失",
        "en": "The ID number was stored by Excel as a number (shown as {value}); "
        "its last digits are lost",
    },
    "id_15_digit": {
        "zh": "15位旧身份证号码，已按规则升级为18位",
        "en": "Old 15-digit ID number, upgraded to 18 digits",
    },
    "id_region": {
        "zh": "身份证号码前6位（{region}）不是已知的行政区划代码，请核对（已保留）",
        "en": "The first 6 digits of the ID ({region}) are no known region code; please check (kept)",
    },
    "missing_required": {
        "zh": "缺少必填项“{column_zh}”",
        "en": "Required field '{column_zh}' is empty",
    },
    "duplicate_person": {
        "zh": "同一身份证号码重复出现，首次出现在 {first}，本行不计入",
        "en": "The same ID number appears again (first at {first}); this row is not counted",
    },
    "id_name_conflict": {
        "zh": "同一身份证号码在别处填的是另一个姓名（{names}）：所有这些行都退回，请核实是谁",
        "en": "The same ID number is typed elsewhere with another name ({names}): every such row "
        "is rejected; find out whose it is",
    },
    "unknown_township": {
        "zh": "乡镇“{value}”不是丰都县的乡镇（街道）",
        "en": "'{value}' is not a township of Fengdu county",
    },
    "unknown_township_empty": {
        "zh": "乡镇为空，且无法从文件名或标题判断",
        "en": "Township is empty and cannot be told from the file name or title",
    },
    "bad_date": {
        "zh": "“{column_zh}”不是有效日期：{value}，已按空值处理",
        "en": "'{column_zh}' is not a valid date: {value}; left empty",
    },
    "bad_number": {
        "zh": "“{column_zh}”不是有效的数值或号码：{value}",
        "en": "'{column_zh}' is not a valid number: {value}",
    },
    "absurd_value": {
        "zh": "“{header}”的值 {value} 超出任何缴费记录可能的范围（月份须在 1990 年至明年之间，"
        "金额不超过 100 万元），本行退回",
        "en": "'{header}' value {value} is beyond any contribution record (a month from 1990 to "
        "next year, an amount up to 1,000,000): the row is rejected",
    },
    "bad_category": {
        "zh": "“{column_zh}”的值“{value}”不在可选范围内；可选：{choices}",
        "en": "'{column_zh}' value '{value}' is not one of: {choices}",
    },
    "missing_column": {
        "zh": "本表没有“{column_zh}”列：{persons} 人的 {codes} 无法判断（列入“无法判断”，不按不符合处理）",
        "en": "This sheet has no column '{column_zh}': {codes} cannot be judged for its "
        "{persons} persons (listed as undetermined, not as 'no')",
    },
    "missing_column_near": {
        "zh": "本表没有可确认的“{column_zh}”列（最接近的列“{headers}”未采用）：{persons} 人的 "
        "{codes} 无法判断（列入“无法判断”，不按不符合处理）",
        "en": "This sheet has no column that is surely '{column_zh}' (the closest, "
        "'{headers}', was not used): {codes} cannot be judged for its {persons} persons",
    },
    "ambiguous_column_needed": {
        "zh": "有多列都可能是“{column_zh}”：“{headers}”，无法确定，均未采用：{persons} 人的 "
        "{codes} 无法判断",
        "en": "Several columns may be '{column_zh}': '{headers}'; none was used: {codes} "
        "cannot be judged for {persons} persons",
    },
    "ambiguous_column_kept": {
        "zh": "有多列都可能是“{column_zh}”：“{headers}”；已采用第一列，请确认",
        "en": "Several columns may be '{column_zh}': '{headers}'; the first was used, please check",
    },
    # ---- suggestions ----
    "suggest_unknown_fact": {
        "zh": "已保留原值；在更正前，需要“{column_zh}”的预警和补贴对此人列为“无法判断”"
        "（也可在 columns.toml 中说明这种写法）",
        "en": "Kept as typed; until it is corrected, warnings and subsidies that need "
        "'{column_zh}' list this person as undetermined (or explain the spelling in columns.toml)",
    },
    "suggest_columns_toml": {
        "zh": '在数据文件夹的 columns.toml 中写明，例如 [{kind}.headers] "表头文字" = "{column}"',
        "en": 'Say which header it is in columns.toml, e.g. [{kind}.headers] "header" = "{column}"',
    },
    "suggest_check_digit": {
        "zh": "按前17位计算校验位应为 {expected}；如前17位无误，请将末位改为 {expected}",
        "en": "The first 17 digits imply check digit {expected}; if they are right, "
        "the last character should be {expected}",
    },
    "suggest_retype_id": {
        "zh": "请把该列设为“文本”格式后重新录入完整的18位号码",
        "en": "Format the column as Text and type the full 18-digit number again",
    },
    "suggest_upgraded": {
        "zh": "升级后为 {upgraded}",
        "en": "upgraded to {upgraded}",
    },
    "suggest_township": {
        "zh": "可选乡镇（街道）见“说明”，例如 {examples}",
        "en": "Valid townships are listed in the notes, e.g. {examples}",
    },
    # ---- severities ----
    "severity_rejected": {"zh": "退回", "en": "rejected"},
    "severity_warning": {"zh": "提示（已保留）", "en": "warning (kept)"},
    # ---- kinds ----
    "kind_roster": {"zh": "花名册", "en": "roster"},
    "kind_employment": {"zh": "就业登记", "en": "employment"},
    "kind_insurance": {"zh": "社保缴费", "en": "insurance"},
    "kind_workshops": {"zh": "就业帮扶车间", "en": "workshops"},
    "kind_posts": {"zh": "公益性岗位", "en": "public posts"},
    "kind_businesses": {"zh": "创业主体", "en": "businesses"},
    "kind_loans": {"zh": "创业担保贷款", "en": "loans"},
    "kind_students": {"zh": "学生", "en": "students"},
    "kind_travel": {"zh": "出行", "en": "travel"},
    "kind_agencies": {"zh": "人力资源服务机构", "en": "agencies"},
    "kind_payments": {"zh": "已发放名单", "en": "past payment lists"},
}


def text(key: str, lang: str = "zh", **params: object) -> str:
    """The catalogue sentence ``key`` in ``lang``, with ``params`` filled in."""
    entry = CATALOGUE[key]
    template = entry.get(lang) or entry["zh"]
    return template.format(**params)
