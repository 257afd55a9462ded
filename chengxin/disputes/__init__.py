"""Administrative disputes and legal capacity: reconsideration, litigation, mediation, exams and training."""
