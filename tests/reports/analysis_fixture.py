"""A realistic small analysis output directory, generated here, for the report tests.

The reports need every optional section (departments, replies, a campaign burst, a phone number left unmasked
in a quote) at once, which a small real run does not give; so this builds an :class:`AnalysisResult` by hand,
column for column as the engine does, and writes it with :func:`write_result`, the only code that knows the
output's files and dtypes. Everything is random but seeded.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from minsheng.engine.result import AnalysisResult, write_result

CHANNELS = {"人民网": 0.35, "新华网": 0.25, "央视新闻": 0.2, "学习强国": 0.2}
DEPARTMENTS = ["发展改革委", "教育厅", "卫生健康委", "住房城乡建设厅", "交通运输厅", "民政厅", "生态环境厅"]
BROAD = {"B1": "民生保障", "B2": "教育医疗", "B3": "城乡建设", "B4": "生态环境"}
FINE = {  # id: (parent, label, keywords, department, sentence)
    "T1": ("B1", "养老服务", "养老 社区 老人", "民政厅", "建议加强社区养老服务，让老人在家门口就能得到照顾"),
    "T2": ("B1", "社会救助", "救助 低保 困难群众", "民政厅", "希望简化低保申请流程，帮助困难群众"),
    "T3": ("B2", "义务教育", "学校 教师 学生", "教育厅", "建议增加农村学校教师编制，提高教学质量"),
    "T4": ("B2", "看病就医", "医院 医保 看病", "卫生健康委", "希望基层医院提升服务水平，解决看病难问题"),
    "T5": ("B3", "老旧小区改造", "小区 改造 电梯", "住房城乡建设厅", "建议加快老旧小区改造，加装电梯方便老人出行"),
    "T6": ("B3", "公共交通", "公交 地铁 交通", "交通运输厅", "希望增加公交线路，缓解早晚高峰交通拥堵"),
    "T7": ("B4", "污染治理", "污染 空气 河道", "生态环境厅", "建议加强河道污染治理，改善空气质量"),
    "T8": ("B1", "就业创业", "就业 创业 培训", "发展改革委", "建议加大就业创业扶持力度，多开展职业培训"),
}
UNMASKED_PHONE = "13912345678"  # planted in one quote: the reports must mask it again
#: Where the suggestions come from (a file's 地区 column), the first most often; one region typed with a phone.
REGIONS = ["湖南省衡阳市", "湖南省长沙市", "广东省广州市", "湖北省武汉市", "江西省南昌市", "广西壮族自治区南宁市",
           "四川省成都市", "贵州省贵阳市", "云南省昆明市", "福建省福州市", "浙江省杭州市", "江苏省南京市", "安徽省合肥市",
           "河南省郑州市", "山东省济南市", "河北省石家庄市", "陕西省西安市", "重庆市", f"城东区（电话{UNMASKED_PHONE}）"]


def make_analysis_dir(out: Path, n: int = 3000, seed: int = 7, regions: bool = True) -> dict:
    """Write the result of ``n`` accepted suggestions into ``out``, each with its region (one in ten without) unless
    not ``regions``; return its summary."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2020-08-16 00:00")
    fine_ids = list(FINE)
    n_campaign = max(n // 10, 30)
    n_plain = n - n_campaign

    theme = rng.choice(fine_ids, size=n_plain, p=np.linspace(2, 1, len(fine_ids)) / np.linspace(2, 1, len(fine_ids)).sum())
    texts = []
    for i, t in enumerate(theme):
        sentence = FINE[t][4]
        if i % 37 == 0:
            sentence += f"，联系电话{rng.integers(130, 190)}****{rng.integers(1000, 9999)}"
        texts.append(sentence if i % 6 == 0 else f"{sentence}（第{i}条）")
    plain = pd.DataFrame({
        "text": texts,
        "time": start + pd.to_timedelta(rng.uniform(0, 14 * 86400, n_plain), unit="s"),
        "user": [f"u{k:05d}" for k in rng.integers(0, int(n_plain * 0.8), n_plain)],
        "channel": rng.choice(list(CHANNELS), size=n_plain, p=list(CHANNELS.values())),
        "theme_id": theme,
        "department": [FINE[t][3] for t in theme],
        "campaign_id": pd.NA,
    })
    burst_start = start + pd.Timedelta(days=5, hours=20)
    camp = pd.DataFrame({
        "text": [f"强烈呼吁尽快修建城东大桥，方便群众出行。{'我家就住在桥边' if k % 3 else ''}" for k in range(n_campaign)],
        "time": burst_start + pd.to_timedelta(rng.exponential(600, n_campaign), unit="s"),
        "user": [f"c{k:05d}" for k in range(n_campaign)],
        "channel": "学习强国",
        "theme_id": "T6",
        "department": "交通运输厅",
        "campaign_id": "C0001",
    })
    records = pd.concat([plain, camp], ignore_index=True)
    records.insert(0, "id", [f"s{k:06d}" for k in range(len(records))])
    records["time"] = records["time"].dt.floor("s")
    records["dup_group"] = pd.factorize(records["text"])[0]
    records["dup_group_size"] = records.groupby("dup_group")["id"].transform("size").astype("int64")
    records["is_representative"] = ~records["dup_group"].duplicated()
    records["department_confidence"] = rng.beta(6, 2, len(records)).round(3)
    records["needs_review"] = records["department_confidence"] < 0.6
    records["theme_broad_id"] = records["theme_id"].map(lambda t: FINE[t][0])
    records["hot_issue_id"] = pd.NA
    records.loc[records["campaign_id"].notna(), "hot_issue_id"] = "H01"
    records["campaign_id"] = records["campaign_id"].astype("string")
    records["hot_issue_id"] = records["hot_issue_id"].astype("string")

    themes = []
    for b, label in BROAD.items():
        members = records[records["theme_broad_id"] == b]
        themes.append({"theme_id": b, "level": "broad", "parent_id": "", "label": label,
                       "keywords": " ".join(FINE[t][2].split()[0] for t in FINE if FINE[t][0] == b),
                       "n_messages": len(members), "n_users": members["user"].nunique(),
                       "representative_1": members["text"].iloc[0], "representative_2": "", "representative_3": ""})
    for t, (parent, label, kw, _dept, sentence) in FINE.items():
        members = records[records["theme_id"] == t]
        quote = sentence + (f"，我的电话{UNMASKED_PHONE}" if t == "T1" else "")
        themes.append({"theme_id": t, "level": "fine", "parent_id": parent, "label": label, "keywords": kw,
                       "n_messages": len(members), "n_users": members["user"].nunique(),
                       "representative_1": quote, "representative_2": members["text"].iloc[0],
                       "representative_3": members["text"].iloc[-1]})
    themes = pd.DataFrame(themes)

    camp_rec = records[records["campaign_id"].notna()]
    campaigns = pd.DataFrame([{
        "campaign_id": "C0001", "people": camp_rec["user"].nunique(), "messages": len(camp_rec),
        "distinct_arguments": 2, "burst_per_minute": 9, "burst_per_hour": int(len(camp_rec) * 0.8),
        "first_time": camp_rec["time"].min(), "last_time": camp_rec["time"].max(),
        "template": f"强烈呼吁尽快修建城东大桥，方便群众出行。联系人电话{UNMASKED_PHONE}",
        "sample_additions": "我家就住在桥边",
    }])

    hot = []
    for rank in range(1, 13):
        t = fine_ids[(rank - 1) % len(fine_ids)]
        t0 = start + pd.Timedelta(hours=int(rng.integers(0, 300)))
        hot.append({"rank": rank, "issue_id": f"H{rank:02d}", "heat": round(100 / rank, 2),
                    "time_start": t0, "time_end": t0 + pd.Timedelta(hours=int(rng.integers(2, 48))),
                    "place_or_group": ["城东区", "城西区", "高新区"][rank % 3],
                    "description": f"{FINE[t][1]}：{FINE[t][4]}" + (f"（{UNMASKED_PHONE}）" if rank == 2 else ""),
                    "n_messages": int(300 / rank), "n_users": int(250 / rank),
                    "likes": int(rng.integers(0, 500)), "dislikes": int(rng.integers(0, 50)),
                    "member_ids": " ".join(records["id"].iloc[:3])})
    hot = pd.DataFrame(hot)

    suggestions = []
    for rank, (t, (_parent, label, _kw, dept, sentence)) in enumerate(FINE.items(), 1):
        members = records[records["theme_id"] == t]
        suggestions.append({
            "rank": rank, "suggestion_id": f"G{rank:04d}", "headline": sentence, "description": f"{label}。",
            "people": members["user"].nunique(), "n_users": members["user"].nunique(), "messages": len(members),
            "reposts": 0, "voices": members["user"].nunique(), "campaigns": "", "likes": rank,
            "places": "城东区(3)", "districts": "", "first_time": members["time"].min(),
            "last_time": members["time"].max(), "weekly": "2020-W34:3", "department": dept,
            "department_confidence": 0.8, "department_share": 0.9, "coherence": 0.5,
            "ask_spread": 0.6 if rank == 2 else 0.1, "mixed": rank == 2,
            "quote_1": sentence + (f"，我的电话{UNMASKED_PHONE}" if t == "T1" else ""),
            "quote_2": members["text"].iloc[0], "quote_3": "", "quote_4": "", "quote_5": "",
            "member_ids": ";".join(members["id"])})  # every member, as the engine writes them
    suggestions = pd.DataFrame(suggestions).sort_values("people", ascending=False).assign(
        rank=lambda f: range(1, len(f) + 1))
    novel = pd.DataFrame([{"rank": 1, "id": records["id"].iloc[5], "score": 3.1,
                   "proposal": "建议在南站候车厅增设改签窗口，方便旅客不出站改签", "title": "南站改签",
                   "department": "交通运输厅", "place": "南站", "why": "proposal+1.00 reason+0.50"}])

    replied = records.sample(n=min(400, len(records)), random_state=seed)
    scores = pd.DataFrame({
        "id": replied["id"].to_numpy(), "relevance": rng.uniform(0.4, 1, len(replied)).round(3),
        "completeness": rng.uniform(0.3, 1, len(replied)).round(3),
        "interpretability": rng.uniform(0, 1, len(replied)).round(3),
        "timeliness_days": rng.uniform(0, 40, len(replied)).round(2),
        "timeliness": rng.uniform(0.2, 1, len(replied)).round(3),
    })
    scores["total"] = (100 * scores[["relevance", "completeness", "interpretability", "timeliness"]].mean(axis=1)).round(3)
    per_dept = scores.assign(department=replied["department"].to_numpy(), late=scores["timeliness_days"] > 15)
    by_department = per_dept.groupby("department").agg(
        n_replies=("id", "size"), relevance=("relevance", "mean"), completeness=("completeness", "mean"),
        interpretability=("interpretability", "mean"), timeliness=("timeliness", "mean"), total=("total", "mean"),
        median_days=("timeliness_days", "median"), share_late=("late", "mean"),
    ).round(3).sort_values("total", ascending=False).reset_index()

    n_rejects = 40
    rejects = pd.DataFrame({"source": "input.csv", "row": np.arange(1, n_rejects + 1) * 17,
                  "id": [f"r{k}" for k in range(n_rejects)],
                  "reason": ["空文本"] * 25 + ["时间格式无法解析"] * 15})

    if regions:  # drawn apart: the other sections' numbers stay those of a run without regions
        weights = 1 / np.arange(1, len(REGIONS) + 1)
        picked = np.random.default_rng(seed + 1).choice(len(REGIONS), size=len(records), p=weights / weights.sum())
        records["region"] = [None if i % 10 == 3 else REGIONS[k] for i, k in enumerate(picked)]
        ids = {t: f"G{rank:04d}" for rank, t in enumerate(FINE, 1)}  # the digest suggestion of each theme
        records["suggestion_id"] = records["theme_id"].map(ids)
    summary = {
        "rows_in": len(records) + n_rejects, "accepted": len(records), "rejected": n_rejects,
        "exact_duplicates": int((~records["is_representative"]).sum()),
        "near_duplicate_groups": int((records.groupby("dup_group").size() > 1).sum()),
        "campaigns": 1,
        "masked": {"mobile": int(n_plain / 37) + 1, "id_card": 3, "bank_card": 1, "email": 2},
        "stages": {"ingest": {"seconds": 0.5, "peak_rss_mb": 180.0},
                   "normalise": {"seconds": 1.2, "peak_rss_mb": 210.0}},
        "inputs": ["input.csv"],
        "time_start": records["time"].min(), "time_end": records["time"].max(),
        "channels": records["channel"].value_counts().to_dict(),
        "people": int(records["user"].nunique()),
        "distinct_after_duplicates": int(records["is_representative"].sum()),
        **({"regions": int(records["region"].nunique())} if regions else {}),
    }
    write_result(AnalysisResult(records=records, summary=summary, rejects=rejects, campaigns=campaigns,
                                themes=themes, hot_issues=hot, suggestions=suggestions, novel=novel, replies=scores,
                                replies_by_department=by_department), out)
    return summary
