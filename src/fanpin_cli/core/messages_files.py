"""The words of what fanpin finds wrong with the folders and files it reads or writes.

One of the tables of fanpin_cli.core.messages, imported only when a code is looked up that
the tables before it lack; the same conventions hold: codes, "+"-joined pieces, `{n!k}`.
"""

from __future__ import annotations

FILES: dict[str, tuple[str, str]] = {
    "schema.targets_key": (
        "未知的表或键 {0!r}: 目标文件只含 [[target]] 表",
        "unknown table or key {0!r}: a targets file holds [[target]] tables",
    ),
    "schema.no_targets": (
        "没有目标: 目标文件应含 [[target]] 表",
        "no targets: a targets file holds [[target]] tables",
    ),
    "load.reached_twice": (
        "与 {0} 是同一个文件夹 (符号链接循环或两个链接指向同一处); 其记录会被读两次",
        "is the same folder as {0} (a link loop, or two links to one folder); "
        "its records would be read twice",
    ),
    "load.skip_hidden": (
        "隐藏文件或编辑器的锁文件, 未读取",
        "hidden file or an editor's lock, not read",
    ),
    "load.skip_lock": ("办公软件的锁文件, 未读取", "an office program's lock file, not read"),
    "load.skip_not_data": ("不是数据集文件, 未读取", "not a dataset file, not read"),
    "usage.sqlite_leftover": (
        "是此前某个数据库留下的 {0}, 会被回放进新导出的数据库; 请移走它或换一个文件名",
        "is a leftover {0} of an earlier database, which would be replayed into the new "
        "export; move it away or give another file name",
    ),
    "usage.sqlite_keep": (
        "你在 fanpin 的表 {1} 上建的 {0} 无法在新表上重建 ({2}); 数据库未改动, "
        "请删除或修改它后再导出",
        "your {0} on fanpin's table {1} cannot be made again on the new table ({2}); the "
        "database is unchanged: drop or change it, then export again",
    ),
    "output.sqlite_long_name": (
        "名称过长: SQLite 在其旁边的日志文件 (名称加 -journal) 会超过 {0} 字节; 请换一个短些的名称",
        "the name is too long to refresh: SQLite's journal beside it (the name and -journal) "
        "would be over {0} bytes; give a shorter name",
    ),
    "output.sticky_owner": (
        "属于另一用户, 且所在共享文件夹设有粘滞位: 只有其主人能替换它; 未写入任何文件",
        "belongs to another user in a shared folder with the sticky bit: only they can "
        "replace it; nothing was written",
    ),
    "output.sqlite_locked": (
        "数据库被另一个程序锁定 (正在写入); 请待其完成后再导出",
        "the database is locked by another program (writing to it); export again when it is done",
    ),
    "output.sqlite_unfinished": (
        "数据库有一次未完成的写入 (留有 -journal); 请先用 sqlite3 打开一次以恢复它, 再导出",
        "the database has an unfinished write (a hot -journal): open it once with sqlite3 "
        "to recover it, then export again",
    ),
    "usage.output_is_input": (
        "是正在读取的数据集自身的文件; 不会用导出替换它",
        "is a file of the dataset being read; an export never replaces it",
    ),
}
