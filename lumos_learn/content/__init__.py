"""The course engine: course files -> an immutable library of courses, quizzes and grading.

Plain Python: no Flask, no database. Views ask it questions; it never asks views anything.
"""

from .gift import parse_gift, write_gift
from .grading import AttemptResult, QuestionResult, grade_attempt
from .loader import check_courses, load_library
from .model import Answer, ConfidenceStatement, Course, Library, Module, ModuleText, Question, Quiz
from .problems import CourseValidationError, Problem
from .responses import InvalidResponses, parse_responses, shuffled_answer_order

__all__ = [
    "Answer",
    "AttemptResult",
    "ConfidenceStatement",
    "Course",
    "CourseValidationError",
    "InvalidResponses",
    "Library",
    "Module",
    "ModuleText",
    "Problem",
    "Question",
    "QuestionResult",
    "Quiz",
    "check_courses",
    "grade_attempt",
    "load_library",
    "parse_gift",
    "parse_responses",
    "shuffled_answer_order",
    "write_gift",
]
