// Branching scripts on the phone: whether a question is shown, from its "show_if" data as the server sends it
// (fieldops/domain/conditions.py defines the same small language and checks the same data on the server).
// {"key": "support", "op": ">=", "value": 3}: shown only if the earlier answer to "support" is 3 or more.
// An unanswered question never matches. No question, key or number is written here: only the operators.
(function () {
  const COMPARE = {
    ">=": (a, b) => a >= b, "<=": (a, b) => a <= b, ">": (a, b) => a > b, "<": (a, b) => a < b,
  };

  function matches(condition, answers) {
    if (!condition) return true;
    const answer = answers[condition.key];
    if (answer === undefined || answer === null || answer === "") return false;
    const value = condition.value;
    if (condition.op === "=") return answer === value;
    if (condition.op === "!=") return answer !== value;
    if (condition.op === "in") return Array.isArray(value) && value.includes(answer);
    if (typeof answer !== "number" || !COMPARE[condition.op]) return false;
    return COMPARE[condition.op](answer, value);
  }

  // The keys shown, in order, given the answers: a question not shown counts as unanswered after it.
  function shown(questions, answers) {
    const given = {};
    const keys = new Set();
    questions.forEach((question) => {
      if (!matches(question.show_if, given)) return;
      keys.add(question.key);
      if (question.key in answers) given[question.key] = answers[question.key];
    });
    return keys;
  }

  window.FieldopsConditions = { matches, shown };
})();
