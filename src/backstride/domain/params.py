"""Model parameters: every threshold and constant of the analysis, each with its source.

These are not user settings (STYLE.md, "Configuration"): they are the model, frozen and cited.
Each field carries ``metadata={"source": ...}``; :func:`parameter_sources` lists them, so the
documentation and the tests can check that nothing is uncited. ``{key}`` in a source names an
entry of the evidence registry (``backstride.domain.evidence``). :class:`GuidanceParams` holds
the thresholds of the daily guidance; unlike the others it may be tuned per user (the
``guidance_overrides`` setting), within documented ranges.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from backstride.domain.evidence import cite, expand
from backstride.errors import ConfigError


def _p(default: Any, source: str) -> Any:
    """A dataclass field with its source in the metadata (``{key}`` names a source of the
    evidence registry and is written out as its label)."""
    return field(default=default, metadata={"source": expand(source)})


@dataclass(frozen=True, slots=True)
class ActivityParams:
    """Constants of the per-activity analysis (``backstride.domain.metrics``)."""

    # --- pauses and moving time ---
    pause_speed_m_s: float = _p(
        0.5,
        "Own choice: an interval whose mean speed is below 0.5 m/s (1.8 km/h, slower than any "
        "walk) is a pause; standing with GPS drift gives 0.1-0.4 m/s.",
    )
    max_sample_gap_s: float = _p(
        30.0,
        "Own choice: without any distance or speed data, for heart-rate load, and for the timer "
        "time of files without timer events (unless the runner moved through it), a gap between "
        "samples longer than 30 s is a recording pause (auto-pause) and is not counted.",
    )
    best_pace_window_m: float = _p(
        1000.0,
        "Own choice: best pace is the fastest 1 km anywhere in the activity (elapsed time), as "
        "running apps report best efforts.",
    )

    # --- elevation ---
    elevation_hysteresis_m: float = _p(
        3.0,
        "{goldencheetah} BasicRideMetrics.cpp hysteresis default 3.0 m; {runalyze} "
        "'threshold' strategy default 3 m.",
    )

    # --- grade distribution ---
    grade_step_m: float = _p(
        10.0, "Own choice: altitude is resampled every 10 m of distance before grades are taken."
    )
    grade_smoothing_m: float = _p(
        100.0,
        "Own choice: centred moving average over 100 m of the resampled altitude, so GPS "
        "altitude noise of a few metres does not create false steep grades ({goldencheetah} "
        "GOVSS smooths slope over 120 s).",
    )
    grade_band_edges_pct: tuple[float, ...] = _p(
        (-8.0, -4.0, -1.0, 1.0, 4.0, 8.0),
        "Issue #3: bands < -8, -8..-4, -4..-1, flat -1..+1, +1..+4, +4..+8, > +8 %.",
    )
    steep_descent_grade_pct: float = _p(
        -5.0,
        "Issue #3: share of distance on descents steeper than -5 %. the downhill studies "
        "speaks of about -5 degrees (about -8.7 %); the stricter -5 % is used.",
    )
    descent_grade_pct: float = _p(
        -1.0,
        "Own choice: a continuous descent is a stretch where every resampled segment is "
        "steeper than the flat band's lower edge (-1 %).",
    )

    # --- cadence ---
    cadence_already_steps_rpm: float = _p(
        130.0,
        "Issue #3: running stride rates are about 75-100 per minute (150-200 steps/min); a "
        "cadence above 130 per minute must already be steps ({heiderscheit-2011}).",
    )
    cadence_check_percentile: float = _p(
        90.0,
        "Own choice: the doubling test uses the 90th percentile of moving cadence rather than "
        "the median, so run/walk sessions with long walking breaks are not misread.",
    )

    # --- continuous running (where a plan starts) ---
    run_bout_min_cadence_spm: float = _p(
        140.0,
        "Own choice, as the stride rule's walking filter: at 140 steps a minute or more a runner "
        "is running; walking rarely goes above about 130 ({heiderscheit-2011}).",
    )
    run_bout_min_speed_m_s: float = _p(
        2.0,
        "Without cadence: people change from walking to running at about 2 m/s (7.2 km/h; "
        "{hreljac-1993}, the preferred walk-run transition speed; not checked against the "
        "original).",
    )
    run_bout_smooth_s: float = _p(
        10.0, "Own choice: speed and cadence are averaged over 10 s before running is judged."
    )
    run_bout_bridge_s: float = _p(
        15.0,
        "Own choice: a walking or standing stretch shorter than 15 s (a crossing, a GPS "
        "hiccup) does not end a stretch of continuous running.",
    )

    # --- heart rate ---
    trimp_male: tuple[float, float] = _p(
        (0.64, 1.92), "Banister TRIMP, men ({morton-1990}): A = 0.64, B = 1.92."
    )
    trimp_female: tuple[float, float] = _p(
        (0.86, 1.67), "Banister TRIMP, women ({morton-1990}): A = 0.86, B = 1.67."
    )
    trimp_unspecified: tuple[float, float] = _p(
        (0.725215, 1.795),
        "{runalyze} Trimp/Factor.php, sex not set: A = 0.725215, B = 1.795.",
    )
    default_rest_hr_bpm: float = _p(60.0, "{runalyze} Trimp/Calculator.php DEFAULT_HR_REST = 60.")
    default_max_hr_bpm: float = _p(200.0, "{runalyze} Trimp/Calculator.php DEFAULT_HR_MAX = 200.")
    age_max_hr_intercept: float = _p(
        208.0,
        "Tanaka, Monahan & Seals 2001 (J Am Coll Cardiol 37:153-6): HRmax = 208 - 0.7 x age "
        "(not checked against the original).",
    )
    age_max_hr_slope: float = _p(0.7, "{tanaka-2001}, as above.")
    edwards_zone_edges: tuple[float, ...] = _p(
        (0.5, 0.6, 0.7, 0.8, 0.9),
        "Edwards 1993, minutes in 50-60 ... 90-100 % HRmax weighted 1..5.",
    )
    high_intensity_hrr: float = _p(
        0.8,
        "Own choice: minutes at or above 80 % of heart-rate reserve count as high intensity "
        "(threshold work and harder), used to mark a session hard ({stanley-2013}).",
    )


# Banister TRIMP per minute at 50 % heart-rate reserve with the unspecified-sex constants:
# 0.725215 x 0.5 x e^(1.795 x 0.5) ~= 0.8896.
_MODERATE_HRR = 0.5
_DURATION_LOAD_PER_MIN = 0.725215 * _MODERATE_HRR * math.exp(1.795 * _MODERATE_HRR)


@dataclass(frozen=True, slots=True)
class LoadParams:
    """Constants of the training-load model over time (``backstride.domain.load``)."""

    duration_load_per_min: float = _p(
        _DURATION_LOAD_PER_MIN,
        "Own choice: with neither RPE nor heart rate, load = minutes x the Banister TRIMP per "
        "minute at 50 % heart-rate reserve (the middle of ACSM's moderate band, 40-59 % HRR; "
        "Garber 2011), unspecified-sex constants: about 0.89 per minute.",
    )
    hard_rpe: float = _p(
        7.0,
        "Own choice on Foster's CR-10 scale: 7 = 'very hard'. Sessions at or above "
        "it are hard; {stanley-2013} suggests >= 48 h after such sessions.",
    )
    hard_high_intensity_min: float = _p(
        10.0,
        "Own choice: without RPE, a session with >= 10 min at or above 80 % HRR is hard.",
    )
    spike_window_days: int = _p(
        30,
        "{frandsen-2025} compares each run with the longest run in the previous "
        "30 days: runs starting in [start - 30 d, start).",
    )
    spike_band_edges: tuple[float, float, float] = _p(
        (1.10, 1.30, 2.00),
        "{frandsen-2025} bands <= +10 % (reference), >10-30 %, >30-100 %, >100 %.",
    )
    progression_days: int = _p(
        14, "{nielsen-2014}, progression over 2 weeks (last 14 d vs the 14 before)."
    )
    progression_band_edges: tuple[float, float] = _p(
        (0.10, 0.30), "{nielsen-2014} groups < 10 %, 10-30 %, > 30 %."
    )
    acute_days: int = _p(7, "{williams-2017}, EWMA with lambda = 2/(N+1), acute N = 7.")
    chronic_days: int = _p(28, "{williams-2017}, EWMA with lambda = 2/(N+1), chronic N = 28.")
    monotony_days: int = _p(7, "{foster-1998} weekly monotony; {runalyze} Monotony.php DAYS = 7.")
    fitness_days: int = _p(
        42,
        "{trainingpeaks} PMC (Coggan), CTL_t = CTL_t-1 + (load_t - CTL_t-1) / 42.",
    )
    fatigue_days: int = _p(7, "{trainingpeaks} PMC (Coggan), ATL time constant 7 d.")
    mix_days: int = _p(
        28, "Own choice: time shares by group over the last 28 days (one chronic window)."
    )


def _g(default: float, source: str, low: float, high: float) -> Any:
    """A guidance threshold: its source and the range an override must stay within."""
    return field(default=default, metadata={"source": expand(source), "range": (low, high)})


@dataclass(frozen=True, slots=True)
class GuidanceParams:
    """Thresholds of the daily guidance (``backstride.domain.guidance``), each with its source.

    Overridable by name with the ``guidance_overrides`` setting (:meth:`with_overrides`);
    ``docs/guidance.md`` explains each one in plain words. Day counts are whole days.
    """

    # --- pain (Silbernagel 2007; EVIDENCE 8, implication 10) ---
    pain_acceptable_max: int = _g(
        5,
        "pain-monitoring model ({silbernagel-2007}): 0-2 safe, "
        "3-5 acceptable, above 5 too much, during or after a run.",
        3,
        8,
    )
    pain_recent_run_days: int = _g(
        3,
        "Own choice: the pain during, after and the morning after the runs of the last 3 days "
        "decide today's session (the model reacts to the last sessions, {silbernagel-2007}).",
        1,
        14,
    )
    persistent_window_days: int = _g(
        14,
        "Own choice after the diary's advice ({silbernagel-2007} model; {nice-cks}): "
        "pain above 5 that keeps coming back within two weeks needs a professional.",
        7,
        42,
    )
    persistent_high_days: int = _g(
        3,
        "Own choice: 'keeps coming back' = pain above 5 on 3 or more separate days in the window.",
        2,
        10,
    )
    persistent_weeks: int = _g(
        4,
        "{nice-cks} (red-flag pathways): no improvement after about 1 month calls for "
        "a professional; read as 4 weeks in a row.",
        2,
        12,
    )
    persistent_weekly_median: int = _g(
        3,
        "scores of 3 and above are past the safe zone (0-2); a typical (median) "
        "check-in score of 3 or more every week counts as pain that has not gone away.",
        1,
        8,
    )
    leg_pattern_days: int = _g(
        14,
        "Own choice: the walking/standing leg-symptom pattern ({nass-2011}; {suri-2010}) "
        "recorded in the last 14 days is current.",
        1,
        90,
    )
    morning_rise_points: float = _g(
        1.0,
        "morning pain must not rise week to week ({silbernagel-2007}); "
        "a rise of the weekly mean by one point of the 0-10 scale counts (own choice).",
        0.5,
        5.0,
    )
    stiffness_rise_share: float = _g(
        0.25,
        "no weekly rise in morning stiffness; a quarter more of the mornings with "
        "stiffness than the week before counts as a rise (own choice).",
        0.1,
        1.0,
    )
    rising_weeks_refer: int = _g(
        3,
        "Own choice after the model (morning pain must not rise week to week, {silbernagel-2007}) "
        "and {nice-cks} (no improvement after about a month: a professional): morning pain that "
        "rose 3 weeks in a row needs a professional.",
        2,
        8,
    )
    pain_severe_min: int = _g(
        8,
        "Own choice: on the 0-10 scale 7-10 is usually called severe pain; one score of 8 or "
        "more, at any time of day, needs a professional before the next run.",
        6,
        10,
    )
    flare_window_days: int = _g(
        3,
        "Own choice: pain above the acceptable maximum on 2 days (flare_high_days) within 3 "
        "days, at any time of day, is a flare that needs a professional.",
        2,
        14,
    )
    flare_high_days: int = _g(
        2,
        "Own choice: see flare_window_days.",
        2,
        5,
    )
    flare_memory_days: int = _g(
        14,
        "Own choice: after pain above the acceptable maximum, the advice stays careful until a "
        "lower score is recorded, for up to 14 days (a missing check-in is never 'settled').",
        3,
        42,
    )
    nerve_root_refer_days: int = _g(
        14,
        "Own choice after {nice-ng59} and CKS (sciatica that does not improve: a professional): "
        "symptoms in one leg below the knee with pins and needles, numbness or pain on "
        "coughing, recorded over 14 days or more, need a professional.",
        3,
        42,
    )
    confirm_window_days: int = _g(
        14,
        "Own choice: a possible warning sign written in the last 14 days that the runner has "
        "not yet confirmed or ruled out keeps the advice careful.",
        1,
        60,
    )

    # --- load (EVIDENCE 1, implications 1-3) ---
    spike_lookback_days: int = _g(
        7,
        "Own choice: runs of the last 7 days are checked for a single-run spike "
        "({frandsen-2025} compares each run with the longest run of the 30 days before it).",
        1,
        30,
    )
    spike_caution_ratio: float = _g(
        1.10,
        "{frandsen-2025}, more than +10 % over the longest run of "
        "the previous 30 days: HRR 1.64 (1.31-2.05) against <= +10 %.",
        1.0,
        2.0,
    )
    spike_reduce_ratio: float = _g(
        1.30,
        "{frandsen-2025}, > +30 % is the red band (HRR 1.52, and "
        "2.28 above +100 %); the issue asks for at least a shorter, easier run after it.",
        1.0,
        3.0,
    )
    spike_severe_ratio: float = _g(
        2.00,
        "{frandsen-2025}, more than +100 %: HRR 2.28 (1.50-3.48).",
        1.2,
        5.0,
    )
    progression_reduce: float = _g(
        0.30,
        "{nielsen-2014}, > 30 % more running distance over 2 weeks "
        "than the 2 weeks before: HR 1.59 for distance-related injuries (p = 0.07).",
        0.1,
        2.0,
    )
    progression_min_base_km: float = _g(
        5.0,
        "Own choice: below 5 km in the 2 weeks before, percentages of a tiny base mislead; "
        "the single-run spike still applies.",
        0.0,
        50.0,
    )
    break_min_days: int = _g(
        14,
        "Own choice after return-to-run protocols (Runna; the {nhs-c25k} advice to repeat "
        "weeks): 14 days or more without running is a break; the runs after it are compared "
        "with the runs before it.",
        7,
        60,
    )
    break_step_per_week: float = _g(
        0.10,
        "Own choice, 'one plan week back per week off': the runs before a break, less 10 % of "
        "their length for each week off (a week of a gradual plan adds about 10 %; Couch to "
        "5K), then 10 % back per week of running again.",
        0.05,
        0.3,
    )
    break_floor_share: float = _g(
        0.3,
        "Own choice: however long the break, the first runs may be 30 % of the longest run "
        "before it.",
        0.1,
        0.8,
    )
    break_pain_days: int = _g(
        28,
        "Own choice: pain above the acceptable maximum, or numbness and pins and needles in a "
        "leg, in the 28 days before a break is checked by a professional before the build-up "
        "again ({nice-ng59}: reassess when symptoms change or persist).",
        7,
        90,
    )
    load_ratio_caution: float = _g(
        1.5,
        "{gabbett-2016} 'danger zone' >= 1.5 (team sports), "
        "contested ({lolli-2019}; {impellizzeri-2020}): context only, never above caution.",
        1.0,
        3.0,
    )

    # --- recovery (EVIDENCE 2, implication 6) ---
    careful_max_consecutive_run_days: int = _g(
        1,
        "beginners and runners with a spine condition keep at "
        "least one rest or cross-training day between runs ({nhs-c25k}).",
        1,
        7,
    )
    max_days_without_rest: int = _g(
        6,
        "Own choice after {meeusen-2013} (overload must be balanced by recovery; no "
        "trial defines the number): after 6 training days in a row, the next day is a rest day.",
        3,
        14,
    )
    hard_gap_hours: float = _g(
        48.0,
        ">= 48 h after hard sessions ({stanley-2013}).",
        12.0,
        96.0,
    )

    # --- variety (EVIDENCE 1, 2, 10) ---
    monotony_reduce: float = _g(
        2.0,
        "{foster-1998} monotony; > 2.0 'too high' is a "
        "practitioner heuristic (Fellrnr; {runalyze}'s critical level 2.0).",
        1.2,
        5.0,
    )
    run_only_share: float = _g(
        0.9,
        "Own choice after {malisoux-2015} (other-sport volume protective, HR 0.848 "
        "per h/week) and {lauersen-2014} (strength training RR 0.32): 90 % or more "
        "of the training time over 28 days spent running.",
        0.5,
        1.0,
    )
    run_only_min_runs: int = _g(
        4, "Own choice: the training mix is judged only with 4 or more runs in 28 days.", 1, 20
    )

    # --- terrain (EVIDENCE 4, implication 8) ---
    terrain_recent_days: int = _g(
        7,
        "Own choice: the terrain of the runs of the last 7 days (the week a back feels it).",
        1,
        28,
    )
    downhill_grade_pct: float = _g(
        -8.0,
        "descents steeper than about -5 degrees (-8.7 %); the "
        "analysis's steepest grade band starts at -8 % (about -4.6 degrees). "
        "{gottschall-kram-2005}: at -9 degrees impact +54 %, braking +73 %; {levine-2007}: "
        "more lumbar lordosis downhill.",
        -20.0,
        -3.0,
    )
    downhill_steep_m: float = _g(
        300.0,
        "Own choice: 300 m or more of such steep descent in one run is flagged.",
        50.0,
        5000.0,
    )
    downhill_long_drop_m: float = _g(
        80.0,
        "Own choice for the 'long downhills' of the downhill studies: one continuous descent "
        "dropping 80 m or more (about a 20-storey building).",
        20.0,
        1000.0,
    )
    uneven_window_days: int = _g(
        14, "Own choice: the surface mix of the last 14 days of running.", 7, 56
    )
    uneven_share: float = _g(
        0.5,
        "uneven ground raised step variability 26-27 % and leg "
        "stiffness 20 % ({voloshina-ferris-2015}); prefer even routes early on. Flagged when "
        "half or more of the running distance was on trail or mixed ground (own choice).",
        0.1,
        1.0,
    )

    # --- form (EVIDENCE 4, implication 9) ---
    stride_window_days: int = _g(
        28, "Own choice: the step rate of the runs of the last 28 days.", 7, 120
    )
    stride_min_runs: int = _g(
        3, "Own choice: at least 3 continuous runs with cadence before judging the stride.", 1, 20
    )
    stride_min_cadence_spm: float = _g(
        140.0,
        "Own choice: runs averaging under 140 steps/min include walking breaks (walking is "
        "about 100-130 steps/min), so their average says nothing about the running stride.",
        100.0,
        170.0,
    )
    stride_min_speed_m_s: float = _g(
        2.0,
        "Own choice: runs slower than 2.0 m/s (8:20 min/km) on average include walking.",
        1.0,
        4.0,
    )
    stride_ref_speed_m_s: float = _g(
        2.5,
        "Own choice (not checked against a study): recreational runners take about 160 "
        "steps/min at an easy 2.5 m/s "
        "(6:40 min/km) and about 10 more per minute for each 1 m/s faster; running stride "
        "rates are 150-200 steps/min ({heiderscheit-2011}).",
        1.5,
        5.0,
    )
    stride_ref_spm: float = _g(
        160.0,
        "Own choice (not checked against a study), as stride_ref_speed_m_s: 160 steps/min "
        "at 2.5 m/s.",
        140.0,
        190.0,
    )
    stride_spm_per_m_s: float = _g(
        10.0,
        "Own choice (not checked against a study), as stride_ref_speed_m_s: +10 steps/min "
        "per 1 m/s.",
        0.0,
        30.0,
    )
    stride_shortfall: float = _g(
        0.10,
        "{heiderscheit-2011} raised step rate by 5-10 %; a typical "
        "step rate more than 10 % below the expected one is 'well below' (own choice).",
        0.03,
        0.3,
    )

    # --- warm-up (EVIDENCE 10, implication 14) ---
    warm_up_window_days: int = _g(
        14,
        "Own choice: runs of the last 14 days whose notes say the warm-up was skipped. "
        "a 5-minute brisk walk plus dynamic drills before "
        "runs ({nhs-c25k}; neuromuscular warm-ups RR 0.67, {herman-2012}).",
        1,
        56,
    )

    # --- today's session ---
    cap_window_days: int = _g(
        30,
        "{frandsen-2025}'s reference, the longest run of the previous 30 days, caps an easy run.",
        7,
        90,
    )
    cap_typical_margin: float = _g(
        0.1,
        "{frandsen-2025} saw more injuries after runs more than 10 % longer than the "
        "runner's recent longest; an easy run stays within the typical recent run plus 10 %.",
        0.0,
        0.3,
    )
    flare_cap_share: float = _g(
        0.75,
        "Own choice after the pain-monitoring model ({silbernagel-2007}): after a run "
        "followed by pain above the acceptable level, an easy run stays at three quarters of "
        "that run until a run of that length goes within the pain rules.",
        0.3,
        0.95,
    )
    checkin_lookback_days: int = _g(
        7,
        "Own choice: a missing next-morning check-in after a run of the last 7 days is said.",
        1,
        30,
    )

    def with_overrides(self, overrides: Mapping[str, object]) -> GuidanceParams:
        """A copy with ``overrides`` (name -> number) applied, each checked against its range.

        Unknown names, non-numbers, fractional day counts and values outside the documented
        range raise :class:`ConfigError` with the valid names or range.
        """
        if not overrides:
            return self
        spec = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in overrides.items():
            f = spec.get(name)
            if f is None:
                raise ConfigError(
                    f"Unknown guidance setting '{name}' in guidance_overrides.",
                    hint="Valid names: " + ", ".join(sorted(spec)) + " (see docs/guidance.md).",
                )
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
                raise ConfigError(f"guidance_overrides.{name} must be a number, got {raw!r}.")
            low, high = f.metadata["range"]
            if not low <= raw <= high:
                raise ConfigError(
                    f"guidance_overrides.{name} = {raw:g} is outside its range {low:g} to "
                    f"{high:g}.",
                    hint="See docs/guidance.md for what each threshold means.",
                )
            if isinstance(f.default, int):
                if float(raw) != int(raw):
                    raise ConfigError(
                        f"guidance_overrides.{name} is a whole number of days or points, "
                        f"got {raw:g}."
                    )
                changes[name] = int(raw)
            else:
                changes[name] = float(raw)
        merged = replace(self, **changes)
        if not merged.spike_caution_ratio <= merged.spike_reduce_ratio <= merged.spike_severe_ratio:
            raise ConfigError(
                "guidance_overrides: the spike ratios must rise: spike_caution_ratio <= "
                "spike_reduce_ratio <= spike_severe_ratio."
            )
        return merged


@dataclass(frozen=True, slots=True)
class GearParams:
    """Shoe limits (``backstride.domain.shoes``): the defaults of every new pair."""

    shoe_inspect_km: float = _p(
        500.0,
        cite("cook-1985", note="inspect at 500 km: a rule of thumb, never tested on injuries"),
    )
    shoe_retire_km: float = _p(
        800.0, cite("cook-1985", "escamilla-2020", note="the upper end of the 500-800 km band")
    )


@dataclass(frozen=True, slots=True)
class RouteParams:
    """The route taxing score (``backstride.domain.routes``): points per feature."""

    steep_grade_pct: float = _p(
        -8.0,
        cite(
            "gottschall-kram-2005",
            "levine-2007",
            note="the analysis's steepest band, about "
            "-4.6 degrees, near the -5 degrees where downhill loads rise",
        ),
    )
    climb_points_per_m_per_km: float = _p(
        0.5, "Own choice: climbing costs effort but lands softly ({gottschall-kram-2005})."
    )
    descent_points_per_m_per_km: float = _p(
        1.0,
        "Own choice: twice the climb, as descents raise impact and arch the back ({levine-2007}).",
    )
    steep_points_per_pct: float = _p(
        1.5, "Own choice: each % of the distance on steep descents ({gottschall-kram-2005})."
    )
    long_descent_points_per_m: float = _p(
        0.1, "Own choice: the height lost on the longest continuous descent ({levine-2007})."
    )
    trail_points: float = _p(10.0, "Own choice: mostly trail ({voloshina-ferris-2015}).")
    mixed_points: float = _p(5.0, "Own choice: half of trail for mixed ground.")


@dataclass(frozen=True, slots=True)
class PlanParams:
    """The running plan's week (``backstride.domain.plan``)."""

    runs_per_week: int = _p(3, cite("nhs-c25k", note="three runs a week"))
    min_rest_days: int = _p(
        2, cite("nhs-c25k", "meeusen-2013", note="a rest day between runs; recovery balances load")
    )


DEFAULT_ACTIVITY_PARAMS = ActivityParams()
DEFAULT_LOAD_PARAMS = LoadParams()
DEFAULT_GUIDANCE_PARAMS = GuidanceParams()
DEFAULT_GEAR_PARAMS = GearParams()
DEFAULT_ROUTE_PARAMS = RouteParams()
DEFAULT_PLAN_PARAMS = PlanParams()


def parameter_sources(
    params: ActivityParams | LoadParams | GuidanceParams | GearParams | RouteParams | PlanParams,
) -> dict[str, tuple[Any, str]]:
    """Each field's value and cited source, for documentation and tests."""
    return {
        f.name: (getattr(params, f.name), str(f.metadata.get("source", ""))) for f in fields(params)
    }
