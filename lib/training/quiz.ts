import { z } from "zod";

// A course's quiz: questions, their choices and the right ones. A question may have several right
// choices (answer with checkboxes); it counts as answered right only when exactly the right
// choices are chosen. The score is the percent of questions answered right, rounded down.
//
// ADMIN writes a quiz as text, one line each:
//   ? 问题（question）
//   - 错误选项 (a wrong choice)
//   * 正确选项 (a right choice)
// Pure: used by the form's check in the browser and by the server.

export type QuizQuestion = { prompt: string; choices: string[]; correct: number[] };
export type Quiz = QuizQuestion[];

export const MAX_QUESTIONS = 20;
export const MAX_CHOICES = 8;

export const quizQuestionSchema = z.object({
  prompt: z.string().min(1).max(500),
  choices: z.array(z.string().min(1).max(300)).min(2).max(MAX_CHOICES),
  correct: z.array(z.number().int().min(0)).min(1),
});
export const quizSchema = z.array(quizQuestionSchema).min(1).max(MAX_QUESTIONS);

export type QuizProblem = { key: string; params?: Record<string, number> };

/** Parses the text form; returns the quiz or the first problem (an i18n key with the question number). */
export function parseQuizText(text: string): { quiz: Quiz } | { problem: QuizProblem } {
  const quiz: Quiz = [];
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const marker = line[0];
    const rest = line.slice(1).trim();
    if (marker === "?" || marker === "？") {
      if (!rest) return { problem: { key: "training.v.quizEmptyPrompt", params: { n: quiz.length + 1 } } };
      if (rest.length > 500) return { problem: { key: "errors.v.tooLong" } };
      quiz.push({ prompt: rest, choices: [], correct: [] });
      continue;
    }
    if (marker === "-" || marker === "*") {
      const q = quiz[quiz.length - 1];
      if (!q) return { problem: { key: "training.v.quizChoiceFirst" } };
      if (!rest || rest.length > 300) return { problem: { key: "training.v.quizChoiceText", params: { n: quiz.length } } };
      if (marker === "*") q.correct.push(q.choices.length);
      q.choices.push(rest);
      continue;
    }
    return { problem: { key: "training.v.quizLine" } };
  }
  if (quiz.length === 0) return { problem: { key: "training.v.quizEmpty" } };
  if (quiz.length > MAX_QUESTIONS) return { problem: { key: "training.v.quizTooMany", params: { max: MAX_QUESTIONS } } };
  for (const [i, q] of quiz.entries()) {
    if (q.choices.length < 2 || q.choices.length > MAX_CHOICES) return { problem: { key: "training.v.quizChoices", params: { n: i + 1, max: MAX_CHOICES } } };
    if (q.correct.length === 0) return { problem: { key: "training.v.quizNoCorrect", params: { n: i + 1 } } };
  }
  return { quiz };
}

export function quizToText(quiz: Quiz): string {
  return quiz.map((q) => [`? ${q.prompt}`, ...q.choices.map((c, i) => `${q.correct.includes(i) ? "*" : "-"} ${c}`)].join("\n")).join("\n\n");
}

/** A stored quiz, checked again (a quiz with a question without a right choice is refused). */
export function readQuiz(value: unknown): Quiz {
  const quiz = quizSchema.parse(value);
  for (const q of quiz) if (q.correct.some((c) => c >= q.choices.length)) throw new Error("quiz: a right choice outside the choices");
  return quiz;
}

export function isMultiple(q: QuizQuestion): boolean {
  return q.correct.length > 1;
}

/** Score (0–100, rounded down) and which questions were right, for answers[i] = chosen choice indexes of question i. */
export function gradeQuiz(quiz: Quiz, answers: number[][]): { score: number; right: boolean[] } {
  const right = quiz.map((q, i) => {
    const chosen = [...new Set(answers[i] ?? [])].sort((a, b) => a - b);
    const correct = [...q.correct].sort((a, b) => a - b);
    return chosen.length === correct.length && chosen.every((c, j) => c === correct[j]);
  });
  return { score: Math.floor((right.filter(Boolean).length * 100) / quiz.length), right };
}
