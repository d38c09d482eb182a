import { describe, expect, it } from "vitest";
import { parseMarkup, safeHref } from "@/lib/training/markup";
import { gradeQuiz, parseQuizText, quizToText } from "@/lib/training/quiz";
import { DEMO_COURSES } from "@/lib/training/demo-content";

// Course material is restricted markup rendered by our own renderer (never HTML); quizzes are
// parsed from ADMIN's text and graded exactly.

describe("markup", () => {
  it("keeps script and HTML as text, and only http(s) links as links", () => {
    const blocks = parseMarkup('<script>alert(1)</script>\n[点我](javascript:alert(1)) [data](data:text/html,x) [官网](https://example.com/a?b=1)');
    expect(blocks).toEqual([
      {
        kind: "p",
        inline: [
          { kind: "text", text: "<script>alert(1)</script> " },
          { kind: "text", text: "点我" },
          // The link's target ends at the first ")": the rest stays text too.
          { kind: "text", text: ") " },
          { kind: "text", text: "data" },
          { kind: "text", text: " " },
          { kind: "link", text: "官网", href: "https://example.com/a?b=1" },
        ],
      },
    ]);
    expect(safeHref("JAVASCRIPT:alert(1)")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
    expect(safeHref("http://example.com")).toBe("http://example.com/");
  });

  it("reads headings, lists and paragraphs", () => {
    expect(parseMarkup("# 标题\n正文一\n正文二\n\n- 甲\n- **乙**\n1. 一\n## 小标题").map((b) => b.kind)).toEqual(["h2", "p", "ul", "ol", "h3"]);
  });
});

describe("quiz", () => {
  it("parses ADMIN's text and refuses a question without a right choice", () => {
    expect(parseQuizText("? 甲\n- 错\n* 对")).toEqual({ quiz: [{ prompt: "甲", choices: ["错", "对"], correct: [1] }] });
    expect(parseQuizText("? 甲\n- 错\n- 也错")).toEqual({ problem: { key: "training.v.quizNoCorrect", params: { n: 1 } } });
    expect(parseQuizText("? 甲\n* 唯一")).toMatchObject({ problem: { key: "training.v.quizChoices" } });
    expect(parseQuizText("- 无题")).toMatchObject({ problem: { key: "training.v.quizChoiceFirst" } });
    expect(parseQuizText("")).toMatchObject({ problem: { key: "training.v.quizEmpty" } });
  });

  it("grades a question right only when exactly the right choices are chosen", () => {
    const quiz = [
      { prompt: "a", choices: ["x", "y", "z"], correct: [0, 2] },
      { prompt: "b", choices: ["x", "y"], correct: [1] },
    ];
    expect(gradeQuiz(quiz, [[0, 2], [1]])).toEqual({ score: 100, right: [true, true] });
    expect(gradeQuiz(quiz, [[0], [1]])).toEqual({ score: 50, right: [false, true] });
    expect(gradeQuiz(quiz, [[0, 1, 2], [0]])).toEqual({ score: 0, right: [false, false] });
  });

  it("the demo courses have real quizzes of 4–6 questions that survive the text round trip", () => {
    expect(DEMO_COURSES.map((c) => c.code)).toEqual(["WECHAT-101", "PIPL-101", "CONTENT-101", "PHISH-101"]);
    for (const c of DEMO_COURSES) {
      expect(c.quiz.length).toBeGreaterThanOrEqual(4);
      expect(c.quiz.length).toBeLessThanOrEqual(6);
      expect(parseQuizText(quizToText(c.quiz))).toEqual({ quiz: c.quiz });
      // The e2e spec fails a quiz by choosing every question's last choice: it must be wrong.
      expect(gradeQuiz(c.quiz, c.quiz.map((q) => [q.choices.length - 1])).score).toBeLessThan(c.passingScore);
    }
  });
});
