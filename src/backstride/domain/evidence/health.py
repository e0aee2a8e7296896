"""The sources on the back and health: back pain, stenosis, warning signs, pain, the plan,
exercises and other tools (own summaries)."""

from __future__ import annotations

from backstride.domain.evidence.model import Source, Strength, source_entry

S = Strength

SOURCES: tuple[Source, ...] = (
    # --- back pain in runners, self-tests --------------------------------------------------------
    source_entry(
        "maselli-2020",
        "Maselli 2020",
        "Maselli F et al. Low back pain in runners. BMC Musculoskelet Disord 2020;21:343.",
        "back",
        S.REVIEW,
        "Back pain in runners is common but varies widely between studies. Factors linked with "
        "it include running for more than six years, a body-mass index above 24, limited hip "
        "bending, a difference in leg length, and stiff hamstrings or back.",
        "The flexibility self-tests and the stretches that go with them.",
    ),
    source_entry(
        "belavy-2017",
        "Belavy 2017",
        "Belavy DL et al. Running exercise strengthens the intervertebral disc. Sci Rep "
        "2017;7:45975. doi:10.1038/srep45975",
        "back",
        S.CROSS_SECTIONAL,
        "In 79 adults, runners had better-hydrated spinal discs than non-runners, and those "
        "running 50 km a week or more had taller discs. Fast walking or slow running was linked "
        "with the best discs, not high-impact running.",
        "Why backstride aims to keep you running, easily, rather than stop.",
    ),
    source_entry(
        "mcgill-1999",
        "McGill 1999",
        "McGill SM, Childs A, Liebenson C. Endurance times for low back stabilization "
        "exercises. Arch Phys Med Rehabil 1999;80(8):941-4. "
        "doi:10.1016/s0003-9993(99)90087-4",
        "back",
        S.CROSS_SECTIONAL,
        "Measured how long 75 young adults could hold the trunk-flexor, back-extensor and side "
        "bridge positions, very reliably. What matters is the balance between them: the "
        "abdominals should not outlast the back extensors, the two sides should be about equal, "
        "and the side bridge should be under three quarters of the back hold. The curl-up, side "
        "bridge and bird-dog ('big 3') come from the same author.",
        "The core endurance self-tests, their ratios and the core routine.",
    ),
    source_entry(
        "anderson-2014",
        "Anderson 2014",
        "Anderson D et al. Normative values of trunk endurance tests, as reported in secondary "
        "sources.",
        "back",
        S.CROSS_SECTIONAL,
        "Reference hold times for adults: about 160 s flexor, 101 s back extensor and 54-55 s "
        "side bridge.",
        "The reference times beside your core self-tests.",
        checked=False,
    ),
    source_entry(
        "evans-2007",
        "Evans 2007",
        "Evans K, Refshauge KM, Adams R. Trunk muscle endurance tests: reliability, and gender "
        "differences in athletes. J Sci Med Sport 2007;10(6):447-55.",
        "back",
        S.CROSS_SECTIONAL,
        "Reference hold times in young athletes: about 224 s flexor, 163 s back extensor and "
        "103-104 s side bridge.",
        "The athletes' reference times beside your core self-tests.",
        checked=False,
    ),
    source_entry(
        "biering-sorensen-1984",
        "Biering-Sorensen 1984",
        "Biering-Sorensen F. Physical measurements as risk indicators for low-back trouble over "
        "a one-year period. Spine 1984;9(2):106-19.",
        "back",
        S.COHORT,
        "Men whose back muscles held the test position longer were less likely to get a first "
        "episode of back pain in the following year; how well it predicts is debated.",
        "The back-extensor hold test.",
    ),
    source_entry(
        "ymca-sit-and-reach",
        "YMCA sit-and-reach norms",
        "YMCA fitness testing norms for the sit-and-reach test, ages 18-25, as reported in "
        "secondary sources.",
        "back",
        S.CROSS_SECTIONAL,
        "For young adults an average reach is about 16 inches (41 cm) for men and 19 inches "
        "(48 cm) for women; 13 and 16 inches or less count as poor. These norms are for ages "
        "18-25 only.",
        "The sit-and-reach reference; shown with the age band it comes from.",
        checked=False,
    ),
    source_entry(
        "ayala-2013",
        "Ayala 2013",
        "Ayala F et al. Reliability and validity of hamstring flexibility tests (review), as "
        "recalled; not checked.",
        "back",
        S.REVIEW,
        "A straight-leg raise of about 70-80 degrees is commonly taken as normal hamstring length.",
        "The straight-leg-raise reference.",
        checked=False,
    ),
    source_entry(
        "deville-2000",
        "Deville 2000",
        "Deville WL et al. The test of Lasegue: systematic review of the accuracy in diagnosing "
        "herniated discs. Spine 2000;25(9):1140-7.",
        "back",
        S.REVIEW,
        "The straight-leg raise catches most disc herniations (high sensitivity) but is also "
        "positive in many people without one; it is a clinician's test, not a self-diagnosis.",
        "Why pain or tingling during the leg-raise self-test is a reason to stop and ask.",
        checked=False,
    ),
    source_entry(
        "hayden-2021",
        "Hayden 2021",
        "Hayden JA et al. Exercise therapy for chronic low back pain. Cochrane Database Syst Rev "
        "2021;CD009790.",
        "back",
        S.REVIEW,
        "Across 249 trials, exercise probably reduces pain in long-lasting low back pain by an "
        "amount people notice (moderate certainty).",
        "The routines: regular exercise is part of the plan, not an extra.",
    ),
    # --- stenosis -----------------------------------------------------------------------------
    source_entry(
        "nass-2011",
        "NASS 2011",
        "North American Spine Society. Clinical guideline for the diagnosis and treatment of "
        "degenerative lumbar spinal stenosis, 2011.",
        "stenosis",
        S.GUIDELINE,
        "Suspect stenosis in older adults whose buttock or leg symptoms come on with walking or "
        "standing and ease with sitting or bending forward; pain that walking does not worsen "
        "makes it unlikely.",
        "The leg-symptom pattern rule and the stenosis version of the plan.",
    ),
    source_entry(
        "suri-2010",
        "Suri 2010",
        "Suri P et al. Does this older adult with lower extremity pain have the clinical "
        "syndrome of lumbar spinal stenosis? JAMA 2010;304(23):2628-36.",
        "stenosis",
        S.REVIEW,
        "Pooled how much each sign changes the likelihood of stenosis: no pain when seated and "
        "relief when bending forward make it much more likely, as do pain in both buttocks or "
        "legs and leg pain brought on by walking.",
        "Which answers of the pain diary count towards the leg-symptom pattern.",
    ),
    source_entry(
        "cook-2011",
        "Cook 2011",
        "Cook C et al. 2011: a cluster of history findings for lumbar spinal stenosis.",
        "stenosis",
        S.CROSS_SECTIONAL,
        "Four of five features (symptoms in both legs, leg pain worse than back pain, pain when "
        "walking or standing, relief when sitting, age over 48) together make stenosis about "
        "four to five times more likely.",
        "The leg-symptom pattern.",
    ),
    source_entry(
        "whitman-2006",
        "Whitman 2006",
        "Whitman JM et al. A comparison between two physical therapy treatment programs for "
        "patients with lumbar spinal stenosis. Spine 2006;31(22):2541-9.",
        "stenosis",
        S.TRIAL,
        "Manual therapy, treadmill walking with part of the body weight supported and exercise "
        "helped more people with stenosis recover than bending exercises and walking alone "
        "(79 % against 41 % at six weeks).",
        "Walking and cycling blocks at the start of the stenosis plan.",
    ),
    source_entry(
        "pua-2007",
        "Pua 2007",
        "Pua YH, Cai CC, Lim KC. Treadmill walking with body weight support is no more effective "
        "than cycling when added to an exercise program for lumbar spinal stenosis. Aust J "
        "Physiother 2007;53(2):83-9.",
        "stenosis",
        S.TRIAL,
        "Cycling helped people with stenosis as much as supported treadmill walking.",
        "Cycling is the first alternative when a run is not advised.",
    ),
    source_entry(
        "bussieres-2021",
        "Bussieres 2021",
        "Bussieres A et al. Non-surgical interventions for lumbar spinal stenosis leading to "
        "neurogenic claudication: a clinical practice guideline. J Pain 2021;22(9):1015-39.",
        "stenosis",
        S.GUIDELINE,
        "Recommends education, home exercise and manual therapy or rehabilitation for stenosis "
        "(moderate-quality evidence, conditional recommendation).",
        "The home routines of the stenosis plan.",
    ),
    source_entry(
        "houle-2021",
        "Houle 2021",
        "Houle M et al. 2021: forward-leaning walking in lumbar spinal stenosis and in "
        "peripheral artery disease.",
        "stenosis",
        S.LAB,
        "Walking leaning forward (as over a shopping trolley) delayed symptoms in people with "
        "stenosis more than in people with poor leg circulation.",
        "Walking bent slightly forward is offered as an easier alternative.",
    ),
    source_entry(
        "stucki-1996",
        "Stucki 1996",
        "Stucki G et al. Measurement properties of a self-administered outcome measure in "
        "lumbar spinal stenosis. Spine 1996;21(7):796-803.",
        "stenosis",
        S.METHOD,
        "The Zurich Claudication Questionnaire asks about the past month: how bad the symptoms "
        "are, what you can do, and (after treatment) how satisfied you are. Higher is worse.",
        "The walking-symptoms measure (backstride asks its own questions, not the original items).",
    ),
    source_entry(
        "johnsson-1992",
        "Johnsson 1992",
        "Johnsson KE, Rosen I, Uden A. The natural course of lumbar spinal stenosis. Clin Orthop "
        "Relat Res 1992;(279):82-6.",
        "stenosis",
        S.COHORT,
        "Over about four years without surgery, about half of the people with stenosis stayed "
        "the same, a quarter improved and a quarter got worse.",
        "Why backstride tracks your walking symptoms over months.",
        checked=False,
    ),
    # --- warning signs and screening ---------------------------------------------------------
    source_entry(
        "nice-ng59",
        "NICE NG59",
        "National Institute for Health and Care Excellence. Low back pain and sciatica in over "
        "16s: assessment and management (NG59), 2016, updated 2020.",
        "safety",
        S.GUIDELINE,
        "First rule out a specific cause, then judge the risk of long-lasting pain and "
        "encourage exercise; belts, orthotics and traction are not recommended. Sciatica that "
        "lasts or gets worse needs reassessment.",
        "The warning-sign rules, the nerve-root rule and when backstride sends you to a "
        "professional.",
    ),
    source_entry(
        "nice-cks",
        "NICE CKS",
        "NICE Clinical Knowledge Summaries: Back pain - low (without radiculopathy) and "
        "Sciatica (lumbar radiculopathy).",
        "safety",
        S.GUIDELINE,
        "The warning signs a doctor looks for: cauda equina syndrome (bladder, bowel or "
        "saddle-area changes, weakness in both legs: an emergency), cancer (age over 50 with new "
        "pain, past cancer, weight loss, night pain, no improvement after a month), infection "
        "(fever, a weak immune system) and fracture (a fall, or minor trauma with osteoporosis "
        "or steroids).",
        "Every warning-sign question and how urgent each one is.",
    ),
    source_entry(
        "bass-2018",
        "BASS 2018",
        "British Association of Spine Surgeons (with the Society of British Neurological "
        "Surgeons). Standards of care for investigation and management of cauda equina "
        "syndrome, 2018.",
        "safety",
        S.GUIDELINE,
        "Suspected cauda equina syndrome needs an emergency assessment and scan the same day.",
        "The emergency message and the paused plan.",
    ),
    source_entry(
        "ifompt-2020",
        "IFOMPT 2020",
        "Finucane LM et al. International framework for red flags for potential serious spinal "
        "pathologies. J Orthop Sports Phys Ther 2020;50(7):350-72.",
        "safety",
        S.GUIDELINE,
        "An international consensus on warning signs: no single sign proves a serious cause; "
        "the clinician weighs them together, and the urgency depends on the suspected cause "
        "(same-day care for suspected cauda equina, infection or a major fracture).",
        "How urgent each warning sign is, and the wording of the messages.",
        checked=False,
    ),
    source_entry(
        "verhagen-2016",
        "Verhagen 2016",
        "Verhagen AP et al. Red flags presented in current low back pain guidelines: a review. "
        "Eur Spine J 2016;25(9):2788-802.",
        "safety",
        S.REVIEW,
        "Serious causes are rare in back pain seen by family doctors: cancer under 1 %, a "
        "fracture about 4 %, cauda equina syndrome about 4 in 10,000.",
        "Why a warning sign asks for a doctor's check rather than alarm.",
    ),
    source_entry(
        "parq-plus",
        "PAR-Q+",
        "Warburton DER et al. The Physical Activity Readiness Questionnaire for Everyone "
        "(PAR-Q+), revised yearly.",
        "safety",
        S.GUIDELINE,
        "Seven general health questions before starting exercise: all 'no' means start "
        "gradually; any 'yes' leads to follow-up questions or a professional.",
        "The health questions before a plan (backstride asks its own questions, not the "
        "original items).",
    ),
    source_entry(
        "riebe-2015",
        "ACSM 2015",
        "Riebe D et al. Updating ACSM's recommendations for exercise preparticipation health "
        "screening. Med Sci Sports Exerc 2015;47(11):2473-9.",
        "safety",
        S.GUIDELINE,
        "Decides who needs a doctor's clearance from current exercise habits, known heart, "
        "metabolic or kidney disease, symptoms and the intended intensity. backstride extends "
        "the same logic to spine conditions by analogy (expert opinion, not a study).",
        "Clearance before a plan.",
    ),
    source_entry(
        "acog-2020",
        "ACOG 2020",
        "American College of Obstetricians and Gynecologists. Physical activity and exercise "
        "during pregnancy and the postpartum period. Committee Opinion 804, 2020.",
        "safety",
        S.GUIDELINE,
        "Women who ran before pregnancy can usually keep running at a comfortable effort after "
        "checking with their midwife or doctor, without building up; stop with pain, dizziness, "
        "bleeding or fluid loss.",
        "The pregnancy rule: no progression, easy effort, clearance first.",
        checked=False,
    ),
    # --- pain monitoring ----------------------------------------------------------------------
    source_entry(
        "silbernagel-2007",
        "Silbernagel 2007",
        "Silbernagel KG et al. Continued sports activity, using a pain-monitoring model, during "
        "rehabilitation in patients with Achilles tendinopathy. Am J Sports Med "
        "2007;35(6):897-906. doi:10.1177/0363546506298279",
        "pain",
        S.TRIAL,
        "38 people with Achilles tendon pain either kept running under pain rules or rested for "
        "six weeks; running did no harm. The rules: pain 0-2 is safe, up to 5 is acceptable, "
        "above 5 is too much; pain after activity must settle by the next morning, and morning "
        "pain must not rise week to week. The study was on the Achilles tendon: backstride "
        "applies it to back pain by analogy (expert opinion, low certainty).",
        "The pain rules during, after and the morning after a run, and when the plan moves on.",
    ),
    source_entry(
        "thomee-1997",
        "Thomee 1997",
        "Thomee R. A comprehensive treatment approach for patellofemoral pain syndrome in young "
        "women. Phys Ther 1997;77(12):1690-703.",
        "pain",
        S.TRIAL,
        "Where the pain-monitoring model was first described, for kneecap pain.",
        "The origin of the pain rules.",
        checked=False,
    ),
    # --- the plan -----------------------------------------------------------------------------
    source_entry(
        "nhs-c25k",
        "NHS Couch to 5K",
        "NHS. Couch to 5K running plan for beginners.",
        "plan",
        S.EXPERT,
        "Nine weeks of three runs a week with a rest day between, each after a 5-minute brisk "
        "walk, from 60-second runs to 30 minutes; any week may be repeated. A public-health "
        "programme, not a trial.",
        "The plan's weeks, the rest day between runs and the warm-up walk.",
    ),
    # --- warm-up, stretching, exercises ---------------------------------------------------------
    source_entry(
        "lauersen-2014",
        "Lauersen 2014",
        "Lauersen JB, Bertelsen DM, Andersen LB. The effectiveness of exercise interventions to "
        "prevent sports injuries. Br J Sports Med 2014;48(11):871-7.",
        "exercises",
        S.REVIEW,
        "Pooling trials, strength training cut sports injuries to about a third; stretching "
        "showed no effect. The trials were in many sports, few in runners.",
        "Strength and core routines are part of every plan week.",
    ),
    source_entry(
        "pope-2000",
        "Pope 2000",
        "Pope RP et al. A randomized trial of preexercise stretching for prevention of "
        "lower-limb injury. Med Sci Sports Exerc 2000;32(2):271-7.",
        "exercises",
        S.TRIAL,
        "In 1,538 army recruits, stretching before exercise did not reduce injuries.",
        "Stretches come after the run, not as an injury shield before it.",
    ),
    source_entry(
        "van-mechelen-1993",
        "van Mechelen 1993",
        "van Mechelen W et al. Prevention of running injuries by warm-up, cool-down, and "
        "stretching exercises. Am J Sports Med 1993;21(5):711-9.",
        "exercises",
        S.TRIAL,
        "A warm-up, cool-down and stretching programme did not reduce injuries in 421 runners.",
        "The warm-up is short and practical, not a promise.",
    ),
    source_entry(
        "herman-2012",
        "Herman 2012",
        "Herman K et al. The effectiveness of neuromuscular warm-up strategies that require no "
        "additional equipment for preventing lower limb injuries. BMC Med 2012;10:75.",
        "exercises",
        S.REVIEW,
        "Warm-ups of running drills, balance and strength (such as FIFA 11+) reduced leg "
        "injuries by about a third and overuse injuries by about half in footballers. No trial "
        "in runners yet.",
        "The dynamic drills of the warm-up routine.",
    ),
    source_entry(
        "garber-2011",
        "ACSM 2011",
        "Garber CE et al. ACSM position stand: quantity and quality of exercise. Med Sci Sports "
        "Exerc 2011;43(7):1334-59.",
        "exercises",
        S.GUIDELINE,
        "Stretch at least two or three days a week, holding each stretch 10-30 seconds (30-60 "
        "for older adults), two to four times: about a minute per muscle group.",
        "How long each stretch is held.",
    ),
    source_entry(
        "chodzko-zajko-2009",
        "Chodzko-Zajko 2009",
        "Chodzko-Zajko WJ et al. ACSM position stand: exercise and physical activity for older "
        "adults. Med Sci Sports Exerc 2009;41(7):1510-30.",
        "exercises",
        S.GUIDELINE,
        "Counts adults of 65 and over as older adults for exercise advice.",
        "From 65, stretches are held longer.",
        checked=False,
    ),
    # --- other tools ----------------------------------------------------------------------------
    source_entry(
        "runalyze",
        "Runalyze",
        "Runalyze, open-source training analysis (source code read for its formulas).",
        "tools",
        S.METHOD,
        "Computes heart-rate load (TRIMP), fitness and fatigue as weighted averages over 42 and "
        "7 days, monotony with warnings at 1.5 and 2.0, and elevation gain with a 3 m "
        "threshold.",
        "A reference for backstride's own figures.",
    ),
    source_entry(
        "goldencheetah",
        "GoldenCheetah",
        "GoldenCheetah, open-source training analysis (source code read for its formulas).",
        "tools",
        S.METHOD,
        "Computes TRIMP from the average heart rate, long- and short-term stress over 42 and 7 "
        "days, and elevation gain with 3 m of hysteresis.",
        "A reference for backstride's own figures.",
    ),
    source_entry(
        "trainingpeaks",
        "TrainingPeaks",
        "Coggan A. The science of the Performance Manager (TrainingPeaks).",
        "tools",
        S.METHOD,
        "Fitness is a 42-day and fatigue a 7-day weighted average of training stress; form is "
        "yesterday's fitness minus fatigue.",
        "The Load page's fitness, fatigue and form.",
    ),
)
