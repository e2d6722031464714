"""The course engine: course files -> an immutable library of courses, quizzes and grading.

Plain Python: no Flask, no database. Views ask it questions; it never asks views anything.
"""

from .attempt_rules import AttemptDecision, PastAttempt, attempt_decision
from .draw import answer_order, draw_questions
from .gift import parse_gift, write_gift
from .grading import AttemptResult, QuestionResult, grade_attempt, missed_groups
from .loader import check_courses, load_library
from .model import Answer, ConfidenceStatement, Course, Library, Module, ModuleText, Question, QuestionGroup, Quiz
from .problems import CourseValidationError, Problem
from .responses import InvalidResponses, parse_responses, shuffled_answer_order
from .review import FULL, SCORE, review_level, review_policy

__all__ = [
    "FULL",
    "SCORE",
    "Answer",
    "AttemptDecision",
    "AttemptResult",
    "ConfidenceStatement",
    "Course",
    "CourseValidationError",
    "InvalidResponses",
    "Library",
    "Module",
    "ModuleText",
    "PastAttempt",
    "Problem",
    "Question",
    "QuestionGroup",
    "QuestionResult",
    "Quiz",
    "answer_order",
    "attempt_decision",
    "check_courses",
    "draw_questions",
    "grade_attempt",
    "load_library",
    "missed_groups",
    "parse_gift",
    "parse_responses",
    "review_level",
    "review_policy",
    "shuffled_answer_order",
    "write_gift",
]
