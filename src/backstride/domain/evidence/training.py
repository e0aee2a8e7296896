"""The sources on training: load, recovery, shoes, terrain and stride (own summaries)."""

from __future__ import annotations

from backstride.domain.evidence.model import Source, Strength, source_entry

S = Strength

SOURCES: tuple[Source, ...] = (
    # --- training load ---------------------------------------------------------------------
    source_entry(
        "frandsen-2025",
        "Frandsen 2025",
        "Frandsen et al. Br J Sports Med 2025;59(17):1203-10. doi:10.1136/bjsports-2024-109380",
        "load",
        S.COHORT,
        "Watch data of 5,205 recreational runners (mean age 46) over 18 months, about 588,000 "
        "runs and 1,820 overuse injuries. Each run was compared with the longest run of the 30 "
        "days before it. Runs up to 10 % longer were the reference; runs 10-30 % longer came "
        "with about 1.6 times the injury rate, 30-100 % longer about 1.5 times, and more than "
        "twice as long about 2.3 times. Ratios of one week's load to the previous weeks did not "
        "predict injuries in the same data.",
        "The single-run spike rule and the limit on today's run compare each run with your "
        "longest run of the last 30 days.",
    ),
    source_entry(
        "nielsen-2014",
        "Nielsen 2014",
        "Nielsen RO et al. Excessive progression in weekly running distance and risk of "
        "running-related injuries. J Orthop Sports Phys Ther 2014;44(10):739-47. "
        "doi:10.2519/jospt.2014.5164",
        "load",
        S.COHORT,
        "874 new runners followed for a year with GPS watches. How fast the weekly distance "
        "grew over two weeks made no difference to injuries overall; for injuries tied to "
        "distance (kneecap pain, shin splints, iliotibial band) growth above 30 % showed a trend "
        "towards more injuries that fell just short of statistical certainty.",
        "The two-week progression rule notes growth above 30 %.",
    ),
    source_entry(
        "buist-2008",
        "Buist 2008",
        "Buist I et al. No effect of a graded training program on the number of running-related "
        "injuries in novice runners. Am J Sports Med 2008;36(1):33-9. "
        "doi:10.1177/0363546507307505",
        "load",
        S.TRIAL,
        "532 beginners were given either a 13-week plan that kept to the '10 % a week' rule or "
        "a standard 8-week plan. About one in five got injured in both groups.",
        "Why backstride does not enforce the 10 % rule: it is optional, not proven.",
    ),
    source_entry(
        "damsted-2018",
        "Damsted 2018",
        "Damsted C et al. Review of changes in training load and running-related injuries. Int "
        "J Sports Phys Ther 2018.",
        "load",
        S.REVIEW,
        "A review that found only four studies on changes in running load and injury, and "
        "limited evidence either way. No trial defines how many rest days a runner needs.",
        "A reminder that load rules are heuristics: backstride explains them, it does not forbid.",
    ),
    source_entry(
        "videbaek-2015",
        "Videbaek 2015",
        "Videbaek S et al. Incidence of running-related injuries per 1000 h of running in "
        "different types of runners. Sports Med 2015;45(7):1017-26.",
        "load",
        S.REVIEW,
        "Pooling many studies, beginners were injured about 18 times per 1,000 hours of running, "
        "more than twice as often as recreational runners (about 8).",
        "Beginners and returning runners get the more careful thresholds.",
    ),
    source_entry(
        "gabbett-2016",
        "Gabbett 2016",
        "Gabbett TJ. The training-injury prevention paradox. Br J Sports Med 2016;50(5):273-80. "
        "doi:10.1136/bjsports-2015-095788",
        "load",
        S.EXPERT,
        "Proposed that a week's load compared with the last four weeks (the acute:chronic "
        "ratio) is safest between 0.8 and 1.3 and risky from 1.5. The data came from team "
        "sports, and the ratio has since been strongly criticised (see Lolli 2019 and "
        "Impellizzeri 2020).",
        "The load ratio is shown as context only, with its caveat, and never stops a run.",
    ),
    source_entry(
        "lolli-2019",
        "Lolli 2019",
        "Lolli L et al. Mathematical coupling causes spurious correlation within the "
        "conventional acute-to-chronic workload ratio calculations. Br J Sports Med "
        "2019;53(15):921-2.",
        "load",
        S.METHOD,
        "Pointed out that when this week is part of the four-week average it is divided by, the "
        "ratio is partly correlated with itself, which can create associations that are not "
        "real.",
        "backstride also computes the uncoupled ratio (this week against the three weeks "
        "before it).",
    ),
    source_entry(
        "impellizzeri-2020",
        "Impellizzeri 2020",
        "Impellizzeri FM et al. Sports Med 2020. doi:10.1007/s40279-020-01378-6",
        "load",
        S.METHOD,
        "Showed that replacing the 'chronic' load with fixed or random numbers reproduced the "
        "same injury associations, and that the ratio barely predicts better than chance; the "
        "authors recommend dropping it.",
        "Why the load ratio is context only.",
    ),
    source_entry(
        "williams-2017",
        "Williams 2017",
        "Williams S et al. Better way to determine the acute:chronic workload ratio? Br J Sports "
        "Med 2017;51(3):209-10. doi:10.1136/bjsports-2016-096589",
        "load",
        S.METHOD,
        "Proposed exponentially weighted averages for acute (7-day) and chronic (28-day) load, "
        "with a decay of 2 / (N + 1), so recent days count more and no day drops out suddenly.",
        "The acute and chronic load averages.",
    ),
    source_entry(
        "foster-1998",
        "Foster 1998",
        "Foster C. Monitoring training in athletes with reference to overtraining syndrome. Med "
        "Sci Sports Exerc 1998;30(7):1164-8; method in Foster C et al., J Strength Cond Res "
        "2001;15(1):109-15.",
        "load",
        S.COHORT,
        "Session load is how hard the session felt (0-10) times its minutes. Monotony is a "
        "week's average daily load divided by how much it varies from day to day; strain is the "
        "week's load times its monotony. In athletes, illness followed weeks above their own "
        "usual strain. A monotony above 2 is a practitioners' limit, not a tested one.",
        "Session load from effort and minutes, and the monotony rule.",
    ),
    source_entry(
        "banister-1975",
        "Banister 1975",
        "Banister EW et al. A systems model of training for athletic performance. Aust J Sports "
        "Med 1975;7:57-61.",
        "load",
        S.METHOD,
        "A model in which every session adds fitness that fades slowly and fatigue that fades "
        "quickly; form is the difference. Training tools use 42-day and 7-day averages for the "
        "two.",
        "Fitness, fatigue and form on the Load page.",
    ),
    source_entry(
        "morton-1990",
        "Morton 1990",
        "Morton RH, Fitz-Clarke JR, Banister EW. Modeling human performance in running. J Appl "
        "Physiol 1990;69(3):1171-7.",
        "load",
        S.METHOD,
        "The heart-rate training impulse (TRIMP): minutes weighted by how high the heart rate is "
        "between resting and maximum, with a curve that rises faster at high effort (different "
        "constants for men and women).",
        "Session load from heart rate.",
    ),
    source_entry(
        "tanaka-2001",
        "Tanaka 2001",
        "Tanaka H, Monahan KD, Seals DR. Age-predicted maximal heart rate revisited. J Am Coll "
        "Cardiol 2001;37(1):153-6.",
        "load",
        S.REVIEW,
        "Estimates maximum heart rate as 208 minus 0.7 times age, better than '220 minus age' "
        "for older adults. An estimate for a group, often 10 beats off for one person.",
        "The maximum heart rate when your profile gives none.",
        checked=False,
    ),
    # --- recovery and variety -----------------------------------------------------------------
    source_entry(
        "meeusen-2013",
        "Meeusen 2013",
        "Meeusen R et al. Prevention, diagnosis and treatment of the overtraining syndrome "
        "(ECSS/ACSM consensus). Med Sci Sports Exerc 2013;45(1):186-205.",
        "recovery",
        S.GUIDELINE,
        "A joint statement of the European and American sports-medicine colleges: training "
        "overload must be balanced by recovery, and overtraining is easier to prevent than to "
        "treat.",
        "The limit on training days in a row.",
    ),
    source_entry(
        "stanley-2013",
        "Stanley 2013",
        "Stanley J, Peake JM, Buchheit M. Cardiac parasympathetic reactivation following "
        "exercise. Sports Med 2013;43(12):1259-77.",
        "recovery",
        S.REVIEW,
        "Recovery of the heart's resting control after exercise differs between people and "
        "takes from about an hour to two days. Roughly a day after easy sessions and two days "
        "or more after very hard ones is a common reading of it.",
        "At least 48 hours between hard sessions.",
        checked=False,
    ),
    source_entry(
        "malisoux-2015",
        "Malisoux 2015",
        "Malisoux L et al. Can parallel use of different running shoes decrease running-related "
        "injury risk? Scand J Med Sci Sports 2015;25(1):110-5. doi:10.1111/sms.12154",
        "recovery",
        S.COHORT,
        "264 recreational runners followed for 22 weeks. Those who used more than one pair of "
        "shoes in turn had about 39 % fewer injuries; more hours of other sports went with fewer "
        "injuries (about 15 % fewer per weekly hour); a previous injury went with about 1.7 "
        "times more.",
        "The shoe-rotation nudge, the running-only rule, and more careful progress after a "
        "past injury.",
    ),
    # --- shoes --------------------------------------------------------------------------------
    source_entry(
        "cook-1985",
        "Cook 1985",
        "Cook SD, Kester MA, Brunet ME. Shock absorption characteristics of running shoes. Am J "
        "Sports Med 1985;13(4):248-53.",
        "shoes",
        S.LAB,
        "Shoes worn by a machine kept about three quarters of their shock absorption after 50 "
        "miles, two thirds after 150 and 60 % after 500; shoes worn by runners lost less. This "
        "is where the '300-500 miles' advice comes from; it was never tested against injuries.",
        "Shoes are flagged for a look at 500 km; replacing them is a judgement, not a rule.",
        checked=False,
    ),
    source_entry(
        "escamilla-2020",
        "Escamilla-Martinez 2020",
        "Escamilla-Martinez E et al. Int J Environ Res Public Health 2020.",
        "shoes",
        S.LAB,
        "Reports typical shoe lifespans of 300-1,000 km, and pressure under the midfoot rising "
        "by about half by 700 km.",
        "Why the inspect mark is a distance, and a range rather than one number.",
    ),
    # --- terrain and stride ---------------------------------------------------------------------
    source_entry(
        "gottschall-kram-2005",
        "Gottschall & Kram 2005",
        "Gottschall JS, Kram R. Ground reaction forces during downhill and uphill running. J "
        "Biomech 2005;38(3):445-52.",
        "terrain",
        S.LAB,
        "Running down a 9-degree slope raised the landing impact by about half and the braking "
        "force by about three quarters; uphill running had no impact peak at all.",
        "The downhill rule and the route taxing score.",
    ),
    source_entry(
        "levine-2007",
        "Levine 2007",
        "Levine D, Colston MA, Whittle MW, Pharo EC, Marcellin-Little DJ. Sagittal lumbar spine "
        "position during standing, walking, and running at various gradients. J Athl Train "
        "2007;42(1):29-34.",
        "terrain",
        S.LAB,
        "The lower back arches most when walking or running downhill and least uphill. Arching "
        "narrows the space for the nerves, which matters with spinal stenosis.",
        "Descents count for more when your back is sensitive to arching (stenosis).",
    ),
    source_entry(
        "voloshina-ferris-2015",
        "Voloshina & Ferris 2015",
        "Voloshina AS, Ferris DP. Biomechanics and energetics of running on uneven terrain. J "
        "Exp Biol 2015;218(5):711-9.",
        "terrain",
        S.LAB,
        "On ground with bumps of up to 2.5 cm, runners used 5 % more energy, varied their steps "
        "about a quarter more and stiffened their legs a fifth more.",
        "The uneven-ground rule for new and returning runners.",
    ),
    source_entry(
        "heiderscheit-2011",
        "Heiderscheit 2011",
        "Heiderscheit BC et al. Effects of step rate manipulation on joint mechanics during "
        "running. Med Sci Sports Exerc 2011;43(2):296-302. doi:10.1249/MSS.0b013e3181ebedf4",
        "terrain",
        S.LAB,
        "In 45 runners, taking 5 % more steps per minute at the same speed reduced the load the "
        "knee absorbs; 10 % more also eased the hip. Fewer steps did the opposite.",
        "The stride rule suggests 5-10 % more steps per minute, gradually.",
    ),
    source_entry(
        "lieberman-2015",
        "Lieberman 2015",
        "Lieberman DE et al. Effects of stride frequency and foot position at landing on "
        "braking force, hip torque, impact peak force and the metabolic cost of running in "
        "humans. J Exp Biol 2015;218:3406-14.",
        "terrain",
        S.LAB,
        "The further ahead of the hip the foot lands, the harder each step brakes.",
        "Why the stride rule speaks of shorter, quicker steps.",
    ),
    source_entry(
        "hreljac-1993",
        "Hreljac 1993",
        "Hreljac A. Preferred and energetically optimal gait transition speeds in human "
        "locomotion. Med Sci Sports Exerc 1993;25(10):1158-62.",
        "terrain",
        S.LAB,
        "People switch from walking to running at about 2 m/s (7 km/h), a little below the "
        "speed at which running becomes the cheaper way to move.",
        "Which parts of a run/walk session count as walking.",
        checked=False,
    ),
    source_entry(
        "minetti-2002",
        "Minetti 2002",
        "Minetti AE et al. Energy cost of walking and running at extreme uphill and downhill "
        "slopes. J Appl Physiol 2002;93(3):1039-46.",
        "terrain",
        S.LAB,
        "Measured the energy cost of running on slopes from steep downhill to steep uphill and "
        "fitted a curve to it; training tools use it to turn hilly pace into flat-ground pace.",
        "Grade-adjusted figures for hilly runs.",
    ),
)
