export const COURSE_ENTITY = "TrainingCourse";
export const ASSIGNMENT_ENTITY = "TrainingAssignment";
export const POLICY_ENTITY = "PolicyDocument";
export const ACK_ENTITY = "PolicyAcknowledgement";
