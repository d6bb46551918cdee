"""The benchmark's figures as a plain-text table."""

from __future__ import annotations

from typing import Any


def table(res: dict[str, Any]) -> str:
    """The figures as a plain-text table."""

    def f(key: str, fmt: str = "{:.2f}") -> str:
        return fmt.format(res[key]) if key in res else "-"

    rows = [
        (
            "articles (distinct)",
            f"{res['articles']} ({res['distinct_articles']}), "
            f"{res['words_per_article']:.0f} words each, batch {res['batch_size']}",
        ),
        (
            "load average start / end",
            " / ".join(f"{x:.2f}" for x in res["loadavg_start"])
            + "  ->  "
            + " / ".join(f"{x:.2f}" for x in res["loadavg_end"]),
        ),
        ("ceiling, product pipeline", f"{f('ceiling_aps')} art/s (1 proc)   {f('ceiling_aps_2p')} art/s (2 procs)"),
        (
            "ceiling, plain model",
            f"{f('plain_ceiling_aps')} art/s (1 proc)   {f('plain_ceiling_aps_2p')} art/s (2 procs)",
        ),
        (
            "ceiling, whole extraction",
            f"{f('extract_ceiling_aps')} art/s (1 proc: parse, claims, features, origin, JSON)",
        ),
        ("end to end", f"{f('e2e_aps_1w')} art/s (1 worker)   {f('e2e_aps_2w')} art/s (2 workers)"),
        ("e2e / ceiling", f"{f('ratio_1w')} (1w)   {f('ratio_2w')} (2w)      target >= 0.9"),
        ("e2e / whole extraction", f"{f('ratio_extract_1w')} (1w)      the pipeline around the NLP step"),
        ("e2e / plain ceiling", f"{f('ratio_plain_1w')} (1w)   {f('ratio_plain_2w')} (2w)      target >= 1.5"),
        ("2 workers / 1 worker", f"{f('scaling_2w')}   (ceiling 2p/1p {f('ceiling_scaling_2p')})   target >= 1.7"),
        (
            "CPU ms per article",
            f"ceiling {f('ceiling_cpu_ms', '{:.0f}')}   e2e {f('e2e_cpu_ms_1w', '{:.0f}')} (1w) "
            f"{f('e2e_cpu_ms_2w', '{:.0f}')} (2w), workers + NLP + broker + Redis",
        ),
        (
            "  by process (1w)",
            "   ".join(f"{k} {v:.0f}" for k, v in sorted(res.get("e2e_cpu_ms_by_role_1w", {}).items())),
        ),
        ("one article through nlp()", f"{f('nlp_one_article_ms', '{:.0f}')} ms"),
        (
            "latency at half load (1w)",
            f"p50 {f('p50_ms', '{:.0f}')} ms   p95 {f('p95_ms', '{:.0f}')} ms   "
            f"p99 {f('p99_ms', '{:.0f}')} ms   at {f('latency_rate')} art/s",
        ),
        ("latency / one article", f"p50 {f('p50_x_one')}x (target <= 2)   p99 {f('p99_x_one')}x (target <= 5)"),
    ]
    if len(res.get("by_broker", {})) > 1:
        rows.append(("by broker", "   ".join(f"{b:>22}" for b in res["by_broker"])))
        for label, key, fmt in (
            ("  end to end 1w, art/s", "e2e_aps_1w", "{:.2f}"),
            ("  end to end 2w, art/s", "e2e_aps_2w", "{:.2f}"),
            ("  e2e / ceiling 1w", "ratio_1w", "{:.2f}"),
            ("  e2e / ceiling 2w", "ratio_2w", "{:.2f}"),
            ("  e2e / whole extraction 1w", "ratio_extract_1w", "{:.2f}"),
            ("  CPU ms/article 1w", "e2e_cpu_ms_1w", "{:.0f}"),
            ("  broker CPU ms/article 1w", "broker_cpu_1w", "{:.1f}"),
            ("  latency p50 / p99 ms", "p50_p99", "{}"),
        ):
            cells = []
            for fig in res["by_broker"].values():
                if key == "broker_cpu_1w":
                    v: Any = fig.get("e2e_cpu_ms_by_role_1w", {}).get("broker")
                elif key == "p50_p99":
                    v = f"{fig['p50_ms']:.0f} / {fig['p99_ms']:.0f}" if "p50_ms" in fig else None
                else:
                    v = fig.get(key)
                cells.append(f"{fmt.format(v) if v is not None else '-':>22}")
            rows.append((label, "   ".join(cells)))
    w = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)
