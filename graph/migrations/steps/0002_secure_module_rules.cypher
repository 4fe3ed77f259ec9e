// Issue #16, the secure module's rules (¶35, ¶38, ¶40, ¶50). What earlier releases let a
// review hold that the rules now refuse, and what this step does with it:
//
// 1. Submitted answers (whole or per instrument), the summary and the whole list of
//    observations kept among the review's participants (REVIEW_PARTICIPANTS): the answers
//    are available to all States parties (¶40), the summary goes to the Conference and the
//    working groups and the list to the working groups (¶38). Each such flag is raised to
//    the floor, ALL_STATES_PARTIES (never to PUBLIC: nothing is published that the State did
//    not publish), and the change is archived in the disclosure log like any other, by
//    "migration 0002" with the reason. A part of the list kept confidential stays as it is:
//    ¶38 allows it; its reason, which earlier releases did not ask for, is left empty.
MATCH (d:Disclosure)
WHERE d.visibility = 'REVIEW_PARTICIPANTS'
  AND (d.artefact IN ['QUESTIONNAIRE_ANSWERS', 'SUMMARY']
       OR (d.artefact = 'LIST_OF_OBSERVATIONS' AND coalesce(d.part, '') = ''))
MATCH (r:Review {id: d.reviewId})
CALL (d, r) {
  CREATE (c:DisclosureChange {reviewId: d.reviewId, artefact: d.artefact, part: coalesce(d.part, ''),
    from: d.visibility, to: 'ALL_STATES_PARTIES', by: 'migration 0002', onBehalf: false,
    at: datetime(),
    reason: CASE d.artefact
      WHEN 'QUESTIONNAIRE_ANSWERS' THEN 'raised to the floor: submitted answers are available to all States parties (¶40)'
      WHEN 'SUMMARY' THEN 'raised to the floor: the summary goes to the Conference and its working groups (¶38)'
      ELSE 'raised to the floor: the list goes to the working groups, only parts of it may be kept confidential (¶38)'
    END})
  CREATE (c)-[:OF_REVIEW]->(r)
  SET d.visibility = 'ALL_STATES_PARTIES'
} IN TRANSACTIONS OF 1000 ROWS;

// 2. Written feedback (¶35) was any message a reviewing State wrote in the dialogue on or
//    after the day the answers were submitted; it is now an explicit act. What earlier
//    releases showed as feedback given stays so: for each reviewing State that wrote then
//    and has no recorded feedback, its first such message is recorded as its feedback, with
//    that message's date, marked as inferred by this step. The message itself is unchanged.
MATCH (r:Review)-[:REVIEWED_BY]->(q:Party)
WHERE r.answersSubmittedOn IS NOT NULL
  AND NOT EXISTS { MATCH (:WrittenFeedback {reviewId: r.id, party: q.code}) }
  AND EXISTS { MATCH (m:DialogueMessage {reviewId: r.id, authorParty: q.code})
               WHERE date(m.postedAt) >= r.answersSubmittedOn }
CALL (r, q) {
  MATCH (m:DialogueMessage {reviewId: r.id, authorParty: q.code})
  WHERE date(m.postedAt) >= r.answersSubmittedOn
  WITH m ORDER BY m.postedAt, m.id LIMIT 1
  CREATE (f:WrittenFeedback {key: r.id + '|' + q.code, reviewId: r.id, party: q.code,
    givenOn: date(m.postedAt), givenAt: m.postedAt, messageId: m.id,
    recordedBy: 'migration 0002: the first message the reviewing State wrote after the answers'})
  CREATE (f)-[:OF_REVIEW]->(r)
  CREATE (f)-[:WRITTEN_IN]->(m)
} IN TRANSACTIONS OF 1000 ROWS;

// 3. A review opened in three working languages: ¶50 allows it only exceptionally, with the
//    exception recorded. Earlier releases recorded none; this says so, rather than invent one.
MATCH (r:Review)
WHERE size(r.workingLanguages) = 3 AND r.workingLanguagesException IS NULL
SET r.workingLanguagesException = 'opened in three working languages before the exception was recorded (migration 0002)';
