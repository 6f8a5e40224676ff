"""Writes tests/data/office_export.xls (Excel 97-2003) as an older office system exports it: a notes sheet first,
a merged title above the header, 12-digit ids as numbers, times as date cells. Needs xlwt 1.3.0, which is not a
dependency (nothing else writes BIFF): `pip install --target DIR xlwt`, then `PYTHONPATH=DIR python THIS OUT.xls`."""
import datetime
import sys

import xlwt

book = xlwt.Workbook(encoding="utf-8")
note = book.add_sheet("填表说明")
note.write(0, 0, "填表说明：每行一条留言")
sheet = book.add_sheet("留言数据")
sheet.write_merge(0, 0, 0, 4, "附件 群众留言导出（2019年）")
for j, name in enumerate(["留言编号", "留言主题", "留言时间", "留言详情", "点赞数"]):
    sheet.write(1, j, name)
when = xlwt.easyxf(num_format_str="yyyy/m/d h:mm:ss")
rows = [(123456789012, "关于A市某路段路灯不亮的问题", datetime.datetime(2019, 4, 25, 9, 32, 9), "某路段路灯已坏多日，夜间出行不便，建议尽快维修。", 12),
        (123456789013, "建议增加公交班次", datetime.datetime(2019, 5, 2, 18, 5, 0), "早晚高峰公交太挤，建议增加班次。", 0),
        (123456789014, "小区噪音扰民", datetime.datetime(2019, 5, 3, 22, 40, 31), "夜间施工噪音很大，影响休息，请相关部门处理。", 3)]
for i, (rid, title, t, body, likes) in enumerate(rows, start=2):
    sheet.write(i, 0, rid)
    sheet.write(i, 1, title)
    sheet.write(i, 2, t, when)
    sheet.write(i, 3, body)
    sheet.write(i, 4, likes)
book.save(sys.argv[1])
